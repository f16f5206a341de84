/**
 * The rules of a command node: `/word` commands and regular expressions, tried in order against a text. The first
 * that matches decides the output.
 */
export interface CommandRule {
  /** `command`: the text starts with `/` and this word; `regex`: the text matches this expression. */
  t: 'command' | 'regex';
  /** The command word (without the slash) or the expression's source. */
  v: string;
  /** For an expression: the name msg.command carries (default: the expression itself). */
  name?: string;
}

/** What msg.command says about a match. */
export interface CommandMatch {
  name: string;
  /** The words after the command, or the expression's capture groups. */
  args: string[];
  /** Everything after the command word, as typed (commands only). */
  text?: string;
}

/** Parsed rules, ready to test texts: an expression that does not compile is reported by its position. */
export class CommandRules {
  private readonly compiled: Array<{ rule: CommandRule; word?: string; regex?: RegExp }>;

  constructor(rules: readonly CommandRule[]) {
    this.compiled = rules.map((rule, index) => {
      if (rule.t === 'regex') {
        try {
          return { rule, regex: new RegExp(rule.v) };
        } catch (err) {
          throw new BadRuleError(index, (err as Error).message);
        }
      }
      const word = normalWord(rule.v);
      if (!word) throw new BadRuleError(index, 'a command needs a word, e.g. lights');
      return { rule, word };
    });
  }

  get length(): number {
    return this.compiled.length;
  }

  /** The first rule the text matches: its position and what msg.command says; undefined when none does. */
  match(text: string): { index: number; command: CommandMatch } | undefined {
    const command = parseCommand(text);
    for (const [index, { rule, word, regex }] of this.compiled.entries()) {
      if (word !== undefined) {
        if (command && command.name === word) return { index, command };
        continue;
      }
      const found = regex!.exec(text);
      if (found) {
        const args = found.slice(1).map((group) => group ?? '');
        return { index, command: { name: rule.name || rule.v, args } };
      }
    }
    return undefined;
  }
}

/** A rule that cannot work; `index` counts from 0. */
export class BadRuleError extends Error {
  constructor(
    readonly index: number,
    readonly reason: string,
  ) {
    super(`rule ${index + 1}: ${reason}`);
    this.name = 'BadRuleError';
  }
}

/** `/Lights` and `lights` name the same command: words compare in lower case, without the slash. */
function normalWord(word: string): string {
  return word.trim().replace(/^\//, '').toLowerCase();
}

/**
 * `/lights on  kitchen` -> {name: 'lights', args: ['on', 'kitchen'], text: 'on  kitchen'}. A text that does not start
 * with a slash and a word is no command. A command addressed to a bot by name (`/lights@homebot`) loses the name.
 */
export function parseCommand(text: string): CommandMatch | undefined {
  const found = /^\/([^\s@/]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!found) return undefined;
  const rest = (found[2] ?? '').trim();
  return { name: found[1].toLowerCase(), args: rest ? rest.split(/\s+/) : [], text: rest };
}
