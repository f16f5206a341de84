import type { NodeAPI } from './node-red';

/** A text from the node type's catalogue, with `__name__` substitutions. */
export type Translate = (key: string, subs?: Record<string, string | number>) => string;

/**
 * The one way node code translates: keys are relative to the node type's catalogue (`errors.noAccount` means
 * `semilimes-send.errors.noAccount` for a send node). Each node type's runtime only sees its own catalogue, so texts
 * shared by the harness exist in every catalogue under the same relative key.
 */
export function translator(RED: NodeAPI, type: string): Translate {
  return (key, subs) => RED._(`${type}.${key}`, subs);
}
