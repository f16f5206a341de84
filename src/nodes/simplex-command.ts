import { COMMANDS, findCommand, type ChatResponse, type SimplexClient } from '../simplex';
import { FlowInputError } from './lib/flow-input';
import { NodeHarness } from './lib/harness';
import type { FlowMessage, Node, NodeAPI, NodeDef, NodeConstructor } from './lib/node-red';
import type { SimplexCliNode } from './lib/simplex-cli-node';
import type { Translate } from './lib/translate';
import { evaluateTypedInput } from './lib/typed-input';

interface TypedValue {
  value?: string;
  type?: string;
}

interface CommandNodeDef extends NodeDef {
  cli: string;
  /** A command of the reference by name (`APIListContacts`), or `raw`. */
  command: string;
  /** Typed inputs, one per parameter of the command. */
  params?: Record<string, TypedValue>;
  /** The raw command: a typed input, `msg.payload` by default. */
  raw?: string;
  rawType?: string;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The raw command of a message: one line, with `{userId}` replaced by the active user's id. */
async function rawCommand(value: unknown, client: SimplexClient, t: Translate): Promise<string> {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new FlowInputError('noCommand', t('errors.noCommand'));
  }
  const text = value.trim();
  // One frame is one command; a second line could only be a mistake or an attempt to smuggle in another.
  if (CONTROL.test(text)) throw new FlowInputError('rawOneLine', t('errors.rawOneLine'));
  if (!text.includes('{userId}')) return text;
  const userId = await client.userId();
  return text.replace(/\{userId\}/g, String(userId));
}

export = function register(RED: NodeAPI) {
  function SimplexCommandNode(this: Node, def: CommandNodeDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const harness = new NodeHarness<SimplexCliNode>(RED, node, { type: 'simplex-command', config: def.cli });
    const spec = def.command && def.command !== 'raw' ? findCommand(def.command) : undefined;
    if (def.command !== 'raw' && !spec) {
      harness.status.configProblem(harness.t('status.unknownCommand'));
    }
    const doneLabel = harness.t('status.done');

    const paramsOf = async (msg: FlowMessage, client: SimplexClient): Promise<Record<string, unknown>> => {
      const out: Record<string, unknown> = {};
      for (const param of spec?.params ?? []) {
        const typed = def.params?.[param.name];
        const type = typed?.type || 'str';
        const given = typed && !(type === 'str' && (typed.value ?? '') === '');
        if (given) {
          const value = await evaluateTypedInput(RED, node, typed.value, type, msg);
          if (value !== undefined && value !== '') out[param.name] = value;
        }
        // The active user is the one a bot means: it is filled in when left empty.
        if (param.name === 'userId' && out.userId === undefined) out.userId = await client.userId();
      }
      return out;
    };

    harness.onInput(async (msg) => {
      const client = harness.connection().client();
      let resp: ChatResponse;
      if (def.command === 'raw') {
        const value = await evaluateTypedInput(RED, node, def.raw || 'payload', def.rawType || 'msg', msg);
        resp = await client.command(await rawCommand(value, client, harness.t));
      } else {
        if (!spec) throw new FlowInputError('unknownCommand', harness.t('errors.unknownCommand'));
        resp = await client.call(spec.name, await paramsOf(msg, client));
      }
      msg.payload = resp;
      msg.responseType = resp.type;
      return { msg, status: doneLabel };
    });
  }

  RED.nodes.registerType('simplex-command', SimplexCommandNode as unknown as NodeConstructor);

  /** The command table for the editor: names, descriptions, syntax and parameters (no code). */
  RED.httpAdmin.get('/simplex-command/commands', RED.auth.needsPermission('simplex-command.read'), (_req, res) => {
    res.json(
      COMMANDS.map((c) => ({
        name: c.name,
        group: c.group,
        description: c.description,
        syntax: c.syntax,
        responses: c.responses,
        params: c.params.map((p) => ({
          name: p.name,
          type: p.type,
          docType: p.docType,
          optional: p.optional === true || p.type === 'bool',
          values: p.values,
          notInSyntax: p.notInSyntax === true,
        })),
      })),
    );
  });
};
