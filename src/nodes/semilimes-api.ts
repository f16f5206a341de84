import { ENDPOINTS, findEndpoint, type Endpoint } from '../semilimes';
import type { AccountNode, AccountUser } from './lib/account';
import {
  HANDLED_ELSEWHERE,
  ParamTypeError,
  ROTATE_OPERATION,
  coerceParam,
  isUnset,
  payloadInput,
  type ConfiguredParam,
} from './lib/api-params';
import type { DoneFn, FlowMessage, Node, NodeAPI, NodeDef, SendFn } from './lib/node-red';
import { StatusView } from './lib/status';
import { evaluateTypedInput } from './lib/typed-input';

interface ApiDef extends NodeDef {
  account: string;
  /** A documented path, `rotate-key`, or `msg` (taken from msg.operation). */
  operation: string;
  /** Parameter name -> typed input, as the dialog stored them. */
  params?: Record<string, ConfiguredParam>;
}

class FlowError extends Error {}

export = function register(RED: NodeAPI) {
  function SemilimesApiNode(this: Node, def: ApiDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const account = RED.nodes.getNode(def.account) as AccountNode | null;
    const status = new StatusView((s) => node.status(s));
    const t = (key: string, subs?: Record<string, string | number>) => RED._(`semilimes-api.${key}`, subs);
    const configured: Record<string, ConfiguredParam> = def.params && typeof def.params === 'object' ? def.params : {};
    const user: AccountUser = {
      id: node.id,
      connectionChanged: (change, text) => status.connectionChanged(change, text),
      configProblem: (text) => status.configProblem(text),
      keyStatus: (text, warning) => status.keyStatus(text, warning),
    };

    if (account) account.register(user);
    else status.configProblem(t('status.noAccount'));

    /** The operation of this message: the node's, or msg.operation when the node says so. */
    function operationOf(msg: FlowMessage): string {
      const chosen = def.operation === 'msg' ? msg.operation : def.operation;
      if (typeof chosen !== 'string' || chosen.trim() === '') throw new FlowError(t('errors.noOperation'));
      const operation = chosen.trim();
      if (operation === ROTATE_OPERATION) return operation;
      const elsewhere = HANDLED_ELSEWHERE[operation];
      if (elsewhere) throw new FlowError(t('errors.useOtherNode', { operation, node: elsewhere }));
      if (!findEndpoint(operation)) throw new FlowError(t('errors.unknownOperation', { operation: operation.slice(0, 80) }));
      return operation;
    }

    /** Payload fields the operation does not document, already reported (once each per node). */
    const reportedIgnored = new Set<string>();

    /**
     * Undocumented fields of msg.payload are left out (so a previous node's output can be passed in as it is), but a
     * misspelt field would then vanish silently: name such fields once in the log.
     */
    function reportIgnored(endpoint: Endpoint, payload: unknown, used: Record<string, unknown>): void {
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return;
      const ignored = Object.keys(payload).filter((k) => !(k in used) && !reportedIgnored.has(`${endpoint.path} ${k}`));
      if (ignored.length === 0) return;
      ignored.forEach((k) => reportedIgnored.add(`${endpoint.path} ${k}`));
      node.warn(t('errors.ignoredFields', { operation: endpoint.path, fields: ignored.join(', ') }));
    }

    /** msg.payload's fields, then the dialog's parameters (evaluated for this message) over them. */
    async function inputFor(endpoint: Endpoint, msg: FlowMessage): Promise<Record<string, unknown>> {
      const input = payloadInput(endpoint, msg.payload);
      reportIgnored(endpoint, msg.payload, input);
      // The dialog's parameters belong to the node's operation; with msg.operation they may not fit, so only
      // parameters the endpoint documents are used.
      for (const param of endpoint.params) {
        const entry = configured[param.name];
        if (!entry || isUnset(entry.value)) continue;
        const value = await evaluateTypedInput(RED, node, entry.value, entry.type, msg);
        if (isUnset(value)) continue;
        try {
          input[param.name] = coerceParam(param, value);
        } catch (err) {
          if (!(err instanceof ParamTypeError)) throw err;
          throw new FlowError(
            t('errors.badParam', { name: err.param, expected: t(`expected.${err.expected}`), got: err.got }),
          );
        }
      }
      return input;
    }

    async function perform(msg: FlowMessage, operation: string): Promise<unknown> {
      if (!account) throw new FlowError(t('errors.noAccount'));
      if (operation === ROTATE_OPERATION) return account.rotateKey();
      const endpoint = findEndpoint(operation) as Endpoint;
      return account.client().call(endpoint.path, await inputFor(endpoint, msg));
    }

    node.on('input', (msg: FlowMessage, send: SendFn, done: DoneFn) => {
      let operation: string;
      try {
        operation = operationOf(msg);
      } catch (err) {
        status.failed(t('status.failed'), (err as Error).message);
        done(err as Error);
        return;
      }
      perform(msg, operation).then(
        (data) => {
          msg.payload = data;
          msg.operation = operation;
          status.succeeded(t('status.done', { operation: shortName(operation) }));
          send(msg);
          done();
        },
        (err: Error) => {
          status.failed(t('status.failed'), err.message);
          done(err);
        },
      );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      if (!account) return done();
      account.deregister(user).then(done, done);
    });
  }

  RED.nodes.registerType('semilimes-api', SemilimesApiNode as any);

  // The editor builds its operation list and parameter rows from the client's endpoint table: no second list.
  RED.httpAdmin.get('/semilimes-api/endpoints', RED.auth.needsPermission('semilimes-api.read'), (_req: any, res: any) => {
    res.json({
      endpoints: ENDPOINTS.map((e) => ({
        path: e.path,
        method: e.method,
        websocket: e.websocket,
        group: e.group,
        title: e.title,
        params: e.params,
        handledBy: HANDLED_ELSEWHERE[e.path] ?? null,
      })),
      rotateOperation: ROTATE_OPERATION,
    });
  });
};

/** The last two path segments, enough to tell operations apart on a status line. */
function shortName(operation: string): string {
  return operation.split('/').filter(Boolean).slice(-2).join('/');
}
