import type { NodeAPI } from './node-red';

/**
 * Merges values a node learned at run time into its in-memory credentials (undefined removes one): the editor shows
 * them, and the next deploy writes them to the credentials file. Node-RED writes credentials only with a deploy, so
 * anything that must survive a restart before then needs its own file too.
 */
export function rememberCredentials(RED: NodeAPI, nodeId: string, changes: Record<string, string | undefined>): void {
  const stored = { ...(RED.nodes.getCredentials(nodeId) ?? {}) } as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete stored[key];
    else stored[key] = value;
  }
  void RED.nodes.addCredentials(nodeId, stored);
}
