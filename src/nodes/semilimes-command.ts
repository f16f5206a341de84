import { BadRuleError, CommandRules, type CommandRule } from './lib/command-rules';
import { NodeHarness } from './lib/harness';
import type { Node, NodeAPI, NodeDef, NodeConstructor } from './lib/node-red';
import { migrate } from './migrations/migrate';
import { COMMAND_MIGRATION } from './migrations/semilimes-command';

interface CommandDef extends NodeDef {
  /** In order; one output each. */
  rules?: CommandRule[];
  /** One more output for texts no rule matches (and messages that are no text). */
  other?: boolean;
}

export = function register(RED: NodeAPI) {
  function SemilimesCommandNode(this: Node, saved: CommandDef) {
    RED.nodes.createNode(this, saved);
    const def = migrate(COMMAND_MIGRATION, saved);
    const harness = new NodeHarness(RED, this, { type: 'semilimes-command' });
    let rules: CommandRules | undefined;
    let problem: string | undefined;
    try {
      rules = new CommandRules(Array.isArray(def.rules) ? def.rules : []);
    } catch (err) {
      const bad = err as BadRuleError;
      problem = harness.t('errors.badRule', { rule: bad.index + 1, reason: bad.reason });
      harness.status.configProblem(problem);
    }
    const matched = harness.t('status.matched');
    const unmatched = harness.t('status.other');

    harness.onInput(async (msg) => {
      if (!rules) throw new Error(problem);
      const text = typeof msg.payload === 'string' ? msg.payload : undefined;
      const found = text === undefined ? undefined : rules.match(text);
      if (found) {
        msg.command = found.command;
        return { msg, output: found.index, status: `${matched} ${found.command.name}` };
      }
      // Not a command of this node: out of the last output when there is one, else nowhere.
      return { msg: def.other === false ? null : msg, output: rules.length, status: unmatched };
    });
  }

  RED.nodes.registerType('semilimes-command', SemilimesCommandNode as unknown as NodeConstructor);
};
