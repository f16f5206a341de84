// Injected faults of one emulated CLI and its log of commands, manipulated through the control API.
import { Json } from './json';

export interface CommandRule {
  /** Regular expression tested against the command string; every command when absent. */
  match?: RegExp;
  remaining: number;
}

export interface DelayRule extends CommandRule {
  ms: number;
}

export interface FailRule extends CommandRule {
  chatError: Json;
}

export interface LoggedCommand {
  corrId: unknown;
  cmd: unknown;
  /** Epoch milliseconds when the frame was read. */
  at: number;
  /** Reply type, once answered (`chatCmdError` for failures). */
  replied?: string;
  connection: number;
}

export const WIRE_DIALECTS = ['flat', 'either', 'legacy'] as const;
export type WireDialect = (typeof WIRE_DIALECTS)[number];

const LOG_LIMIT = 10000;

export class Faults {
  pongs = true;
  /** Stop reading frames from every socket (a CLI hung in a slow command, or a half-open connection). */
  stopReading = false;
  dialect: WireDialect = 'flat';
  /** Hold this many replies and write them in reverse order (tests correlation by corrId). */
  reorder = 0;
  /** The next uploads fail with `sndFileError`. */
  failUploads = 0;
  delays: DelayRule[] = [];
  failures: FailRule[] = [];
  readonly log: LoggedCommand[] = [];

  takeDelay(cmd: string): number {
    return take(this.delays, cmd)?.ms ?? 0;
  }

  takeFailure(cmd: string): Json | undefined {
    return take(this.failures, cmd)?.chatError;
  }

  record(entry: LoggedCommand): void {
    this.log.push(entry);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }

  reset(): void {
    this.pongs = true;
    this.stopReading = false;
    this.dialect = 'flat';
    this.reorder = 0;
    this.failUploads = 0;
    this.delays = [];
    this.failures = [];
  }

  describe(): Json {
    return {
      pongs: this.pongs,
      stopReading: this.stopReading,
      dialect: this.dialect,
      reorder: this.reorder,
      failUploads: this.failUploads,
      delays: this.delays.map((d) => ({ match: d.match?.source, ms: d.ms, remaining: d.remaining })),
      failures: this.failures.map((f) => ({ match: f.match?.source, chatError: f.chatError, remaining: f.remaining })),
    };
  }
}

function take<T extends CommandRule>(rules: T[], cmd: string): T | undefined {
  const rule = rules.find((r) => r.remaining > 0 && (!r.match || r.match.test(cmd)));
  if (!rule) return undefined;
  rule.remaining--;
  const at = rules.indexOf(rule);
  if (rule.remaining <= 0) rules.splice(at, 1);
  return rule;
}
