// Command failures as the CLI reports them: a ChatError inside a `chatCmdError` reply.
import { Json } from './json';

/** The text the CLI puts in `commandError` when a command string does not parse (design file, F4). */
export const PARSE_FAILURE_MESSAGE = 'Failed reading: empty';

export class CommandFailure extends Error {
  constructor(readonly chatError: Json) {
    super(describe(chatError));
  }
}

function describe(chatError: Json): string {
  const inner = (chatError.errorType ?? chatError.storeError ?? chatError.agentError) as Json | undefined;
  return `${String(chatError.type)}${inner ? `/${String(inner.type)}` : ''}`;
}

/** `{type:"error", errorType:{type, ...fields}}` */
export function chatErr(type: string, fields: Json = {}): CommandFailure {
  return new CommandFailure({ type: 'error', errorType: { type, ...fields } });
}

/** `{type:"errorStore", storeError:{type, ...fields}}` */
export function storeErr(type: string, fields: Json = {}): CommandFailure {
  return new CommandFailure({ type: 'errorStore', storeError: { type, ...fields } });
}

export function parseFailure(): CommandFailure {
  return chatErr('commandError', { message: PARSE_FAILURE_MESSAGE });
}
