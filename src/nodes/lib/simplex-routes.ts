import type { NodeAPI, AdminRequest, AdminResponse } from './node-red';
import { qrMatrix } from './qr-matrix';
import type { SimplexCliNode } from './simplex-cli-node';
import { translator } from './translate';

/**
 * Editor routes of a deployed `simplex-cli` node, all guarded by the `simplex-cli.read` permission:
 *
 *   GET <httpAdminRoot>/simplex-cli/:id/info             { url, state, address?, qr?, displayName?, failed? }
 *       qr: the address as a QR code, rows of '1' (dark) and '0' (light) modules
 *   GET <httpAdminRoot>/simplex-cli/:id/lookup/:kind     kind = contacts | groups   { items: [{ id, label, detail }] }
 *
 * Both use the node's own connection: nothing typed in the dialog is ever connected to, and no credential is sent
 * back to the editor.
 */
const LOOKUPS = {
  contacts: async (node: SimplexCliNode) =>
    (await node.client().listContacts()).map((c) => ({
      id: `@${c.contactId}`,
      label: c.profile?.displayName || c.localDisplayName,
      detail: c.localDisplayName,
    })),
  groups: async (node: SimplexCliNode) =>
    (await node.client().listGroups()).map((g) => ({
      id: `#${g.groupId}`,
      label: g.groupProfile?.displayName || g.localDisplayName,
      detail: g.localDisplayName,
    })),
} as const;

/** The deployed node's connection state for the dialog; 'problem' when it has none to show. */
function connectionState(node: SimplexCliNode): string {
  if (node.problem) return 'problem';
  try {
    return node.client().state;
  } catch {
    return 'problem';
  }
}

export function registerSimplexRoutes(RED: NodeAPI): void {
  const t = translator(RED, 'simplex-cli');
  const deployed = (req: AdminRequest, res: AdminResponse): SimplexCliNode | undefined => {
    const found = RED.nodes.getNode(String(req.params.id)) as SimplexCliNode | null;
    if (!found || found.type !== 'simplex-cli') {
      res.status(404).json({ error: t('lookup.notDeployed') });
      return undefined;
    }
    return found;
  };

  RED.httpAdmin.get('/simplex-cli/:id/info', RED.auth.needsPermission('simplex-cli.read'), (req: AdminRequest, res: AdminResponse) => {
    const node = deployed(req, res);
    if (!node) return;
    const state = connectionState(node);
    const address = node.startup?.address;
    res.json({
      url: node.url,
      state,
      problem: node.problem,
      ...node.startup,
      ...(typeof address === 'string' && address ? { qr: qrMatrix(address) } : {}),
    });
  });

  RED.httpAdmin.get(
    '/simplex-cli/:id/lookup/:kind',
    RED.auth.needsPermission('simplex-cli.read'),
    (req: AdminRequest, res: AdminResponse) => {
      const kind = String(req.params.kind);
      if (!Object.prototype.hasOwnProperty.call(LOOKUPS, kind)) {
        res.status(404).json({ error: t('lookup.unknownKind') });
        return;
      }
      const node = deployed(req, res);
      if (!node) return;
      if (node.problem) {
        res.status(400).json({ error: node.problem });
        return;
      }
      if (node.client().state !== 'connected') {
        res.status(409).json({ error: t('lookup.notConnected') });
        return;
      }
      LOOKUPS[kind as keyof typeof LOOKUPS](node).then(
        (items) => res.json({ items }),
        (err: Error) => res.status(502).json({ error: t('lookup.failed', { message: err.message }) }),
      );
    },
  );
}
