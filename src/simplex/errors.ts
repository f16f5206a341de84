/**
 * Errors the SimpleX client reports. Each says in plain words what happened and whether the command may have reached
 * the CLI, so a flow can decide what to do. None carries credentials or the proxy's address with its password.
 */
import { ClientError, type ClientErrorCode } from '../transport';
import type { ChatError } from './types';

/**
 * The transport's shared codes, plus:
 * - `CHAT_ERROR`: the CLI answered with a chat error (`chatCmdError`)
 * - `UNEXPECTED_REPLY`: the CLI answered with a reply type the reference does not list for the command
 */
export type SimplexErrorCode = ClientErrorCode | 'CHAT_ERROR' | 'UNEXPECTED_REPLY';

export class SimplexError extends ClientError<SimplexErrorCode> {
  /** The command that failed, when there was one. Commands hold ids and message text, never credentials. */
  readonly command?: string;

  constructor(code: SimplexErrorCode, message: string, command?: string) {
    super(code, message);
    this.command = command === undefined ? undefined : redactCommand(command);
  }
}

/**
 * Commands that carry a user profile's password (`/_user <id> "<password>"`, `/_delete user <id> del_smp=on|off
 * "<password>"`) with the password replaced, so it never reaches an error, a log or a Catch node.
 */
export function redactCommand(command: string): string {
  return command.replace(/^(\/_user \d+ |\/_delete user \d+ del_smp=(?:on|off) )".*"$/s, '$1"***"');
}

/** The words of a chat error: its innermost tag, e.g. `noActiveUser`, `contactNotFound`, `largeMsg`. */
export function chatErrorTag(chatError: ChatError | undefined): string {
  if (!chatError || typeof chatError !== 'object') return 'unknown error';
  const detail = chatError.errorType ?? chatError.storeError ?? chatError.agentError;
  if (detail && typeof detail.type === 'string') return detail.type;
  return typeof chatError.type === 'string' ? chatError.type : 'unknown error';
}

/** The CLI answered the command with `chatCmdError` (or `Left` in the 6.4 dialect). */
export class ChatCommandError extends SimplexError {
  readonly chatError: ChatError;
  /** `chatCmdError`, or the reply type that carried the error. */
  readonly responseType: string;
  /** The innermost tag of the error, e.g. `fileAlreadyReceiving`. */
  readonly tag: string;

  constructor(command: string, chatError: ChatError, responseType = 'chatCmdError') {
    const tag = chatErrorTag(chatError);
    const detail = describeChatError(chatError);
    super('CHAT_ERROR', `SimpleX ${commandName(command)} failed: ${tag}${detail ? ` (${detail})` : ''}`, command);
    this.chatError = chatError;
    this.responseType = responseType;
    this.tag = tag;
  }
}

/** The CLI answered with a reply type the reference does not list for this command. */
export class UnexpectedReplyError extends SimplexError {
  readonly responseType: string;
  readonly reply: unknown;

  constructor(command: string, responseType: string, expected: readonly string[], reply: unknown) {
    super(
      'UNEXPECTED_REPLY',
      `SimpleX ${commandName(command)}: unexpected reply ${responseType} (expected ${expected.join(' or ')})`,
      command,
    );
    this.responseType = responseType;
    this.reply = reply;
  }
}

/**
 * The command was written but no reply came: it may or may not have been carried out. It is never resent, so a
 * person never receives the same message twice.
 */
export class OutcomeUnknownError extends SimplexError {
  constructor(command: string, why: string, code: SimplexErrorCode = 'OUTCOME_UNKNOWN') {
    super(
      code,
      `SimpleX ${commandName(command)}: ${why}; it may or may not have been carried out, and was not resent`,
      command,
    );
  }
}

/** No reply within the command's timeout. The outcome is unknown, as above. */
export class TimeoutError extends OutcomeUnknownError {
  readonly timeoutMs: number;

  constructor(command: string, timeoutMs: number) {
    super(command, `no reply within ${Math.round(timeoutMs / 100) / 10} s`, 'TIMEOUT');
    this.timeoutMs = timeoutMs;
  }
}

/** Not connected to the CLI within the offline wait: the command was never sent. */
export class NotSentError extends SimplexError {
  constructor(command: string, why: string) {
    super('OFFLINE', `SimpleX ${commandName(command)}: ${why}; the command was not sent`, command);
  }
}

/** The input was refused before anything was sent. */
export class InvalidInputError extends SimplexError {
  constructor(message: string, command?: string) {
    super('INVALID_INPUT', message, command);
  }
}

/** The client was stopped (for instance on redeploy) while the command waited. */
export class ClosedError extends SimplexError {
  constructor(command: string) {
    super('CLOSED', `SimpleX ${commandName(command)}: the client was stopped before the command was sent`, command);
  }
}

/** The command's first words, without JSON or message text: enough to tell commands apart in an error message. */
export function commandName(command: string): string {
  const words: string[] = [];
  for (const word of command.split(' ')) {
    if (word === 'json' || /^["{[]/.test(word) || words.length === 3) break;
    words.push(word);
  }
  return words.join(' ') || command.slice(0, 20);
}

function describeChatError(chatError: ChatError): string {
  const detail = chatError.errorType ?? chatError.storeError;
  if (detail && typeof detail.message === 'string' && detail.message) return detail.message;
  return '';
}
