import { findEndpoint, type Endpoint } from '../semilimes';
import type { AccountNode } from './lib/account';
import { registerEndpointsRoute } from './lib/api-endpoints-route';
import {
  HANDLED_ELSEWHERE,
  ParamTypeError,
  ROTATE_OPERATION,
  coerceParam,
  isUnset,
  payloadInput,
  type ConfiguredParam,
} from './lib/api-params';
import { FlowInputError } from './lib/flow-input';
import { NodeHarness } from './lib/harness';
import type { FlowMessage, Node, NodeAPI, NodeDef, NodeConstructor } from './lib/node-red';
import { OnceLog, listNames } from './lib/once-log';
import { payloadObject } from './lib/plain-object';
import type { Translate } from './lib/translate';
import { evaluateTypedInput } from './lib/typed-input';
import { migrate } from './migrations/migrate';
import { API_MIGRATION } from './migrations/semilimes-api';

interface ApiDef extends NodeDef {
  account: string;
  /** A documented path, `rotate-key`, or `msg` (taken from msg.operation). */
  operation: string;
  /** Parameter name -> typed input, as the dialog stored them. */
  params?: Record<string, ConfiguredParam>;
}

/** An api node's settings, read once, and what they give for each message. */
class ApiInputs {
  private readonly configured: Record<string, ConfiguredParam>;
  /** Payload fields an operation does not document, named once each so a busy flow does not flood the log. */
  private readonly ignoredFields = new OnceLog();

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: ApiDef,
    private readonly t: Translate,
  ) {
    this.configured = def.params && typeof def.params === 'object' ? def.params : {};
  }

  /** The operation of this message: the node's, or msg.operation when the node says so. */
  operationOf(msg: FlowMessage): string {
    const { t } = this;
    const chosen = this.def.operation === 'msg' ? msg.operation : this.def.operation;
    if (typeof chosen !== 'string' || chosen.trim() === '') {
      throw new FlowInputError('noOperation', t('errors.noOperation'), 'operation');
    }
    const operation = chosen.trim();
    if (operation === ROTATE_OPERATION) return operation;
    const elsewhere = HANDLED_ELSEWHERE[operation];
    if (elsewhere) throw new FlowInputError('useOtherNode', t('errors.useOtherNode', { operation, node: elsewhere }));
    if (!findEndpoint(operation)) {
      throw new FlowInputError('unknownOperation', t('errors.unknownOperation', { operation: operation.slice(0, 80) }));
    }
    return operation;
  }

  /** msg.payload's fields, then the dialog's parameters (evaluated for this message) over them. */
  async inputFor(endpoint: Endpoint, msg: FlowMessage): Promise<Record<string, unknown>> {
    const payload = payloadObject(msg.payload, (kind) => this.t('errors.payloadNotObject', { kind }));
    const input = payloadInput(endpoint, payload);
    if (payload) this.reportIgnored(endpoint, payload, input);
    // The dialog's parameters belong to the node's operation; with msg.operation they may not fit, so only
    // parameters the endpoint documents are used.
    for (const param of endpoint.params) {
      const entry = this.configured[param.name];
      if (!entry || isUnset(entry.value)) continue;
      const value = await evaluateTypedInput(this.RED, this.node, entry.value, entry.type, msg);
      if (isUnset(value)) continue;
      try {
        input[param.name] = coerceParam(param, value);
      } catch (err) {
        if (!(err instanceof ParamTypeError)) throw err;
        const words = { name: err.param, expected: this.t(`expected.${err.expected}`), got: err.got };
        throw new FlowInputError('badParam', this.t('errors.badParam', words), 'payload');
      }
    }
    return input;
  }

  /**
   * Undocumented fields of msg.payload are left out (so a previous node's output can be passed in as it is), but a
   * misspelt field would then vanish silently: name such fields once in the log.
   */
  private reportIgnored(endpoint: Endpoint, payload: Record<string, unknown>, used: Record<string, unknown>): void {
    const fresh = this.ignoredFields.fresh(
      Object.keys(payload).filter((k) => !(k in used)),
      endpoint.path,
    );
    if (fresh.length === 0) return;
    this.node.warn(this.t('errors.ignoredFields', { operation: endpoint.path, fields: listNames(fresh) }));
  }
}

/** The last two path segments, enough to tell operations apart on a status line. */
function shortName(operation: string): string {
  return operation.split('/').filter(Boolean).slice(-2).join('/');
}

export = function register(RED: NodeAPI) {
  function SemilimesApiNode(this: Node, saved: ApiDef) {
    RED.nodes.createNode(this, saved);
    const def = migrate(API_MIGRATION, saved);
    const harness = new NodeHarness<AccountNode>(RED, this, { type: 'semilimes-api', config: def.account });
    const inputs = new ApiInputs(RED, this, def, harness.t);

    harness.onInput(async (msg) => {
      const operation = inputs.operationOf(msg);
      const account = harness.connection();
      if (operation === ROTATE_OPERATION) msg.payload = await account.rotateKey();
      else {
        const endpoint = findEndpoint(operation) as Endpoint;
        msg.payload = await account.client().call(endpoint.path, await inputs.inputFor(endpoint, msg));
      }
      msg.operation = operation;
      return { msg, status: harness.t('status.done', { operation: shortName(operation) }) };
    });
  }

  RED.nodes.registerType('semilimes-api', SemilimesApiNode as unknown as NodeConstructor);
  registerEndpointsRoute(RED);
};
