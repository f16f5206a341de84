import {
  DEFAULT_BASE_URL,
  SemilimesClient,
  UnauthorizedError,
  resolveUrls,
  type ClientOptions,
} from '../../semilimes';
import { resolveSecret, type AccountNode } from './account';
import type { NodeAPI } from './node-red';

/**
 * Editor lookups: the contacts, group chats and channels of an account, so the send, receive, api (and later form)
 * dialogs can offer a searchable list instead of asking for raw ids.
 *
 *   POST <httpAdminRoot>/semilimes-account/lookup/:kind      kind = contacts | groupchats | channels
 *   body { account?: <config node id>, baseUrl?: string, apiKey?: string }
 *   200  { items: [{ id, label, detail }] }     4xx/502 { error: <words for a person> }
 *
 * Guarded by the `semilimes-account.read` permission. It works for an account node that is not deployed yet: the
 * editor posts what the dialog holds. When the key field holds Node-RED's placeholder for an unchanged stored
 * password (or is empty), the deployed node's own key is used, and only with the deployed node's base URL: a stored
 * (or rotated) key is never sent to an address typed in the editor. For the same reason a `${ENV}` key typed in the
 * dialog is only resolved for the deployed node's address or the default semilimes address.
 */
export const LOOKUP_KINDS = {
  contacts: {
    path: '/account/contacts',
    input: {},
    item: (e: Record<string, unknown>) => ({ id: e.accountId, label: e.accountName, detail: e.contactStatus }),
  },
  groupchats: {
    path: '/communication/groupchat',
    input: {},
    item: (e: Record<string, unknown>) => ({
      id: e.groupChatId,
      label: e.title,
      detail: Array.isArray(e.recipientIds) ? e.recipientIds.length : undefined,
    }),
  },
  channels: {
    path: '/communication/channel/my',
    input: { owner: true, editor: true, subscriber: true },
    item: (e: Record<string, unknown>) => ({ id: e.channelId, label: e.title, detail: e.role }),
  },
} as const;

type LookupKind = keyof typeof LOOKUP_KINDS;

/** Node-RED's stand-in for a stored password the editor did not change. */
const UNCHANGED_PASSWORD = '__PWRD__';
const LOOKUP_TIMEOUT_MS = 10_000;

class LookupError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface LookupRequest {
  account?: unknown;
  baseUrl?: unknown;
  apiKey?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function registerLookupRoutes(RED: NodeAPI): void {
  const t = (key: string, subs?: Record<string, string>) => RED._(`semilimes-account.lookup.${key}`, subs);
  const tuning = () =>
    ((RED.settings as unknown as Record<string, unknown>).semilimesClientOptions ?? {}) as Partial<ClientOptions>;

  async function list(kind: LookupKind, request: LookupRequest): Promise<unknown[]> {
    const spec = LOOKUP_KINDS[kind];
    const accountId = text(request.account);
    const found = accountId ? (RED.nodes.getNode(accountId) as AccountNode | null) : null;
    // Only a semilimes account node: any other node id is treated as "not deployed".
    const deployed = found && found.type === 'semilimes-account' ? found : null;
    const deployedUrl = deployed?.baseUrl;
    const baseUrl = text(request.baseUrl) || DEFAULT_BASE_URL;
    const typed = text(request.apiKey);

    let answer: unknown;
    if (!typed || typed === UNCHANGED_PASSWORD) {
      if (!deployed) throw new LookupError(400, t('noKey'));
      if (deployedUrl !== undefined && deployedUrl !== baseUrl) throw new LookupError(400, t('urlChanged'));
      if (deployed.problem) throw new LookupError(400, deployed.problem);
      answer = await deployed.client().call(spec.path, { ...spec.input }, { timeoutMs: LOOKUP_TIMEOUT_MS });
    } else {
      const isEnv = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(typed);
      if (isEnv && baseUrl !== DEFAULT_BASE_URL && baseUrl !== deployedUrl) throw new LookupError(400, t('envUrl'));
      const apiKey = resolveSecret(typed);
      if (!apiKey) throw new LookupError(400, t('envMissing'));
      try {
        resolveUrls(baseUrl);
      } catch (err) {
        throw new LookupError(400, (err as Error).message);
      }
      // A short-lived REST-only client: no WebSocket is opened for a lookup.
      const client = new SemilimesClient({
        ...tuning(),
        apiKey,
        baseUrl,
        offlineWaitMs: 0,
        requestTimeoutMs: LOOKUP_TIMEOUT_MS,
      });
      try {
        answer = await client.call(spec.path, { ...spec.input });
      } finally {
        await client.close();
      }
    }
    if (!Array.isArray(answer)) throw new LookupError(502, t('badAnswer'));
    return answer
      .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
      .map(spec.item)
      .filter((e) => typeof e.id === 'string' && e.id)
      .map((e) => ({ id: e.id, label: typeof e.label === 'string' ? e.label : '', detail: e.detail ?? '' }));
  }

  // "Rotate now" in the account dialog: the documented rotation for a deployed account node. It changes the key the
  // flows use, so it needs write permission, not read.
  RED.httpAdmin.post(
    '/semilimes-account/:id/rotate',
    RED.auth.needsPermission('semilimes-account.write'),
    (req: any, res: any) => {
      const deployed = RED.nodes.getNode(String(req.params.id)) as AccountNode | null;
      if (!deployed || deployed.type !== 'semilimes-account') {
        res.status(404).json({ error: t('notDeployed') });
        return;
      }
      deployed.rotateKey().then(
        (result) => res.json(result),
        (err: Error) => res.status(502).json({ error: t('rotateFailed', { message: err.message }) }),
      );
    },
  );

  /**
   * A lookup with a key typed in the dialog makes the runtime call whatever address the dialog holds: that is editing,
   * so it needs write permission. Reading with the deployed node's own key and address needs only read.
   */
  const needsWrite = RED.auth.needsPermission('semilimes-account.write');
  const writeIfTypedKey = (req: any, res: any, next: () => void) => {
    const typed = text((req.body ?? {}).apiKey);
    if (typed && typed !== UNCHANGED_PASSWORD) needsWrite(req, res, next);
    else next();
  };

  RED.httpAdmin.post(
    '/semilimes-account/lookup/:kind',
    RED.auth.needsPermission('semilimes-account.read'),
    writeIfTypedKey,
    (req: any, res: any) => {
      const kind = String(req.params.kind) as LookupKind;
      if (!Object.prototype.hasOwnProperty.call(LOOKUP_KINDS, kind)) {
        res.status(404).json({ error: t('unknownKind') });
        return;
      }
      list(kind, (req.body ?? {}) as LookupRequest).then(
        (items) => res.json({ items }),
        (err: Error) => {
          if (err instanceof LookupError) res.status(err.status).json({ error: err.message });
          else if (err instanceof UnauthorizedError) res.status(401).json({ error: t('refused') });
          else res.status(502).json({ error: t('failed', { message: err.message }) });
        },
      );
    },
  );
}
