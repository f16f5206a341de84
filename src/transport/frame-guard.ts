/**
 * Limits on what a peer may send: a frame larger than `maxBytes`, or with JSON nested deeper than `maxDepth`, is
 * refused before it is parsed. Node-RED copies a message for every extra wire and its debug node writes it out, both
 * recursively: a component nested a few thousand levels deep (a few KB of text) overflows the stack there and ends
 * the process. Checking the text is cheap (one pass, no recursion, no allocation) and needs no knowledge of the
 * service, so every client on the transport core uses the same guard.
 *
 * Part of the transport core: no knowledge of any chat service, no Node-RED.
 */

export interface FrameLimits {
  /** Largest text frame accepted, in bytes (UTF-8). */
  maxBytes: number;
  /** Deepest nesting of JSON objects and arrays accepted; the top-level object is depth 1. */
  maxDepth: number;
}

/**
 * 1 MiB holds any message a person can write and any documented list answer of a normal account many times over;
 * 64 levels are about ten times what the deepest documented frame needs (a form submission's value inside its
 * component inside the event: 6), and far below the few thousand at which Node-RED's copy overflows.
 */
export const DEFAULT_FRAME_LIMITS: Readonly<FrameLimits> = { maxBytes: 1024 * 1024, maxDepth: 64 };

export type FrameRejection =
  { kind: 'size'; bytes: number; limit: number } | { kind: 'depth'; depth: number; limit: number };

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of `{` and `[` outside strings in a JSON text, stopping as soon as it passes `stopAbove` (so a
 * hostile frame costs no more than its first few hundred bytes). Not a validator: malformed text is left to the parser.
 */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return deepest;
}

/** Why a frame of `bytes` bytes with this text breaks the limits, or undefined when it does not. */
export function checkFrame(text: string, bytes: number, limits: FrameLimits): FrameRejection | undefined {
  if (bytes > limits.maxBytes) return { kind: 'size', bytes, limit: limits.maxBytes };
  const depth = jsonDepth(text, limits.maxDepth);
  if (depth > limits.maxDepth) return { kind: 'depth', depth, limit: limits.maxDepth };
  return undefined;
}

/** A bounded piece of a refused frame for finding ids in it: the whole text when small, else its head and tail. */
export function frameSample(text: string, keep = 32 * 1024): string {
  return text.length <= 2 * keep ? text : `${text.slice(0, keep)}\n${text.slice(-keep)}`;
}
