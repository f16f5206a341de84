/**
 * The CLI's message size limit. The whole encoded message must fit 15,602 bytes; larger ones are refused with the
 * store error `largeMsg`. The JSON of the content is a close lower bound of that encoding, so a message over the
 * limit here is refused before sending, and the CLI still has the last word on messages just under it.
 */
import { InvalidInputError } from './errors';

export const MAX_MESSAGE_BYTES = 15_602;

/** Throws when the message (content, mentions, quote) cannot fit the CLI's limit. */
export function checkMessageSize(message: unknown): void {
  const bytes = Buffer.byteLength(JSON.stringify(message) ?? '');
  if (bytes > MAX_MESSAGE_BYTES) {
    throw new InvalidInputError(
      `the message is too large for SimpleX (${bytes} bytes encoded, at most ${MAX_MESSAGE_BYTES}); split the text or send it as a file`,
    );
  }
}

/**
 * Splits text into parts that each fit `maxBytes` of UTF-8 (as JSON string content: quotes, backslashes and control
 * characters count escaped), preferring line ends, then spaces; never inside a character.
 */
export function splitText(text: string, maxBytes = 15_000): string[] {
  if (!(maxBytes >= 16)) throw new RangeError('maxBytes must be at least 16');
  const parts: string[] = [];
  let rest = text;
  while (jsonBytes(rest) > maxBytes) {
    const chars = [...rest];
    let size = 0;
    let cut = 0;
    while (cut < chars.length && size + jsonBytes(chars[cut]) <= maxBytes) size += jsonBytes(chars[cut++]);
    const head = chars.slice(0, cut).join('');
    const atLine = head.lastIndexOf('\n');
    const atSpace = head.lastIndexOf(' ');
    const end = atLine > head.length / 2 ? atLine + 1 : atSpace > head.length / 2 ? atSpace + 1 : head.length;
    parts.push(head.slice(0, end));
    rest = rest.slice(end);
  }
  if (rest !== '' || parts.length === 0) parts.push(rest);
  return parts;
}

/** Bytes of the text inside a JSON string. */
function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}
