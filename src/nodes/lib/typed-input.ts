import type { FlowMessage, Node, NodeAPI } from './node-red';

/**
 * Evaluates a typed input (str, num, msg, flow, global, env, jsonata, ...) for one message. Promise-based so
 * context stores that answer asynchronously work too.
 */
export function evaluateTypedInput(
  RED: NodeAPI,
  node: Node,
  value: string | undefined,
  type: string | undefined,
  msg: FlowMessage,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    RED.util.evaluateNodeProperty(value ?? '', type || 'str', node, msg, (err: Error | null, result: unknown) => {
      if (err) reject(err);
      else resolve(result);
    });
  });
}
