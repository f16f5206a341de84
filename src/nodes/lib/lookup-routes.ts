import {
  DEFAULT_BASE_URL,
  DESTINATION_FIELD,
  PATHS,
  SemilimesClient,
  UnauthorizedError,
  resolveUrls,
  type ClientOptions,
} from '../../semilimes';
import { resolveSecret, type AccountNode } from './account';
import type { NodeAPI, AdminRequest, AdminResponse, AdminNext } from './node-red';
import { translator, type Translate } from './translate';

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
    path: PATHS.contacts,
    input: {},
    item: (e: Record<string, unknown>) => ({ id: e.accountId, label: e.accountName, detail: e.contactStatus }),
  },
  groupchats: {
    path: PATHS.groupChats,
    input: {},
    item: (e: Record<string, unknown>) => ({
      id: e[DESTINATION_FIELD.groupchat],
      label: e.title,
      detail: Array.isArray(e.recipientIds) ? e.recipientIds.length : undefined,
    }),
  },
  channels: {
    path: PATHS.myChannels,
    input: { owner: true, editor: true, subscriber: true },
    item: (e: Record<string, unknown>) => ({ id: e[DESTINATION_FIELD.channel], label: e.title, detail: e.role }),
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

/** The list a lookup asked for, read with the deployed account node's own key and address. */
async function readWithDeployedKey(RED: NodeAPI, t: Translate, kind: LookupKind, request: LookupRequest) {
  const accountId = text(request.account);
  const found = accountId ? (RED.nodes.getNode(accountId) as AccountNode | null) : null;
  // Only a semilimes account node: any other node id is treated as "not deployed".
  const deployed = found && found.type === 'semilimes-account' ? found : null;
  if (!deployed) throw new LookupError(400, t('lookup.noKey'));
  const baseUrl = text(request.baseUrl) || DEFAULT_BASE_URL;
  if (deployed.baseUrl !== undefined && deployed.baseUrl !== baseUrl)
    throw new LookupError(400, t('lookup.urlChanged'));
  if (deployed.problem) throw new LookupError(400, deployed.problem);
  const spec = LOOKUP_KINDS[kind];
  return deployed.client().call(spec.path, { ...spec.input }, { timeoutMs: LOOKUP_TIMEOUT_MS });
}

/** The list read with a key typed in the dialog, through a short-lived REST-only client (no WebSocket). */
async function readWithTypedKey(RED: NodeAPI, t: Translate, kind: LookupKind, request: LookupRequest) {
  const typed = text(request.apiKey);
  const baseUrl = text(request.baseUrl) || DEFAULT_BASE_URL;
  const accountId = text(request.account);
  const deployed = accountId ? (RED.nodes.getNode(accountId) as AccountNode | null) : null;
  const deployedUrl = deployed && deployed.type === 'semilimes-account' ? deployed.baseUrl : undefined;
  const isEnv = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(typed);
  if (isEnv && baseUrl !== DEFAULT_BASE_URL && baseUrl !== deployedUrl) throw new LookupError(400, t('lookup.envUrl'));
  const apiKey = resolveSecret(typed);
  if (!apiKey) throw new LookupError(400, t('lookup.envMissing'));
  try {
    resolveUrls(baseUrl);
  } catch (err) {
    throw new LookupError(400, (err as Error).message);
  }
  const tuning = ((RED.settings as unknown as Record<string, unknown>).semilimesClientOptions ??
    {}) as Partial<ClientOptions>;
  const client = new SemilimesClient({
    ...tuning,
    apiKey,
    baseUrl,
    offlineWaitMs: 0,
    requestTimeoutMs: LOOKUP_TIMEOUT_MS,
  });
  try {
    const spec = LOOKUP_KINDS[kind];
    return await client.call(spec.path, { ...spec.input });
  } finally {
    await client.close();
  }
}

/** The editor's list: id, label and detail of each entry the answer holds. */
async function list(RED: NodeAPI, t: Translate, kind: LookupKind, request: LookupRequest): Promise<unknown[]> {
  const typed = text(request.apiKey);
  const useDeployed = !typed || typed === UNCHANGED_PASSWORD;
  const answer = await (useDeployed ? readWithDeployedKey : readWithTypedKey)(RED, t, kind, request);
  if (!Array.isArray(answer)) throw new LookupError(502, t('lookup.badAnswer'));
  return answer
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map(LOOKUP_KINDS[kind].item)
    .filter((e) => typeof e.id === 'string' && e.id)
    .map((e) => ({ id: e.id, label: typeof e.label === 'string' ? e.label : '', detail: e.detail ?? '' }));
}

/**
 * "Rotate now" in the account dialog: the documented rotation for a deployed account node. It changes the key the
 * flows use, so it needs write permission, not read.
 */
function registerRotateRoute(RED: NodeAPI, t: Translate): void {
  RED.httpAdmin.post(
    '/semilimes-account/:id/rotate',
    RED.auth.needsPermission('semilimes-account.write'),
    (req: AdminRequest, res: AdminResponse) => {
      const deployed = RED.nodes.getNode(String(req.params.id)) as AccountNode | null;
      if (!deployed || deployed.type !== 'semilimes-account') {
        res.status(404).json({ error: t('lookup.notDeployed') });
        return;
      }
      deployed.rotateKey().then(
        (result) => res.json(result),
        (err: Error) => res.status(502).json({ error: t('lookup.rotateFailed', { message: err.message }) }),
      );
    },
  );
}

export function registerLookupRoutes(RED: NodeAPI): void {
  const t = translator(RED, 'semilimes-account');
  registerRotateRoute(RED, t);

  /**
   * A lookup with a key typed in the dialog makes the runtime call whatever address the dialog holds: that is editing,
   * so it needs write permission. Reading with the deployed node's own key and address needs only read.
   */
  const needsWrite = RED.auth.needsPermission('semilimes-account.write');
  const writeIfTypedKey = (req: AdminRequest, res: AdminResponse, next: AdminNext) => {
    const typed = text((req.body ?? {}).apiKey);
    if (typed && typed !== UNCHANGED_PASSWORD) needsWrite(req, res, next);
    else next();
  };

  RED.httpAdmin.post(
    '/semilimes-account/lookup/:kind',
    RED.auth.needsPermission('semilimes-account.read'),
    writeIfTypedKey,
    (req: AdminRequest, res: AdminResponse) => {
      const kind = String(req.params.kind) as LookupKind;
      if (!Object.prototype.hasOwnProperty.call(LOOKUP_KINDS, kind)) {
        res.status(404).json({ error: t('lookup.unknownKind') });
        return;
      }
      list(RED, t, kind, (req.body ?? {}) as LookupRequest).then(
        (items) => res.json({ items }),
        (err: Error) => {
          if (err instanceof LookupError) res.status(err.status).json({ error: err.message });
          else if (err instanceof UnauthorizedError) res.status(401).json({ error: t('lookup.refused') });
          else res.status(502).json({ error: t('lookup.failed', { message: err.message }) });
        },
      );
    },
  );
}
