import type { TunnelApi, TunnelKeeper } from '../../semilimes';
import type { FlowMessage } from './node-red';
import type { Translate } from './translate';
import { FlowInputError, isNonEmpty } from './flow-input';
import type { TunnelIdentity } from './tunnel-identity';
import type { TunnelOutcomeWait } from './tunnel-outcome';

export type TunnelAction = 'start' | 'stop' | 'status' | 'list' | 'create' | 'open' | 'close' | 'delete';
export const TUNNEL_ACTIONS: readonly TunnelAction[] = [
  'start',
  'stop',
  'status',
  'list',
  'create',
  'open',
  'close',
  'delete',
];

/** What a tunnel node's output says about its tunnel (`msg.tunnel`, and the answer of "status"). */
export interface TunnelSummary {
  state: string;
  tunnelId?: string;
  tunnelUrl?: string;
  error?: string;
}

/** Everything an action works on: the node's tunnel, its identity and the account's API. */
export interface TunnelActionTarget {
  keeper: TunnelKeeper;
  api: TunnelApi;
  identity: TunnelIdentity;
  outcome: TunnelOutcomeWait;
}

/** The action a message asks for: `msg.action`, else a string payload naming one, else "status". */
export function actionOf(msg: FlowMessage, t: Translate): TunnelAction {
  const named = typeof msg.payload === 'string' && TUNNEL_ACTIONS.includes(msg.payload as TunnelAction);
  const chosen = msg.action ?? (named ? msg.payload : 'status');
  if (!TUNNEL_ACTIONS.includes(chosen as TunnelAction)) {
    throw new FlowInputError('badAction', t('errors.badAction', { action: String(chosen) }), 'action');
  }
  return chosen as TunnelAction;
}

export function summarize(keeper: TunnelKeeper): TunnelSummary {
  const s = keeper.status;
  return {
    state: s.state === 'idle' ? 'stopped' : s.state,
    tunnelId: keeper.id,
    tunnelUrl: s.state === 'up' ? s.tunnelUrl : undefined,
    error: s.error?.message,
  };
}

/** Another tunnel named by msg.tunnelId, or undefined for this node's own tunnel. */
function otherTunnel(msg: FlowMessage, keeper: TunnelKeeper): string | undefined {
  if (!isNonEmpty(msg.tunnelId)) return undefined;
  const id = String(msg.tunnelId).trim();
  return id === keeper.id ? undefined : id;
}

/** Carries out one action; resolves with the answer that goes into `msg.payload`. */
export async function performTunnelAction(action: TunnelAction, msg: FlowMessage, target: TunnelActionTarget) {
  const { keeper, api } = target;
  const other = otherTunnel(msg, keeper);
  switch (action) {
    case 'list':
      return api.call('/service/tunnel');
    case 'status':
      return summarize(keeper);
    case 'start':
      keeper.start();
      await target.outcome.next();
      return summarize(keeper);
    case 'stop':
      await keeper.stop(true);
      return summarize(keeper);
    case 'create':
      return { tunnelId: await keeper.ensureTunnel() };
    case 'open':
      return api.call('/service/tunnel/open', { tunnelId: other ?? (await keeper.ensureTunnel()) });
    case 'close':
      if (other) return api.call('/service/tunnel/close', { tunnelId: other });
      // SSH first, then "close" on the API, as the documentation asks.
      await keeper.stop(false);
      return keeper.id ? api.call('/service/tunnel/close', { tunnelId: keeper.id }) : {};
    case 'delete':
      return other ? api.call('/service/tunnel/delete', { tunnelId: other }) : deleteOwnTunnel(target);
  }
}

async function deleteOwnTunnel({ keeper, api, identity }: TunnelActionTarget): Promise<unknown> {
  await keeper.stop(true);
  const id = keeper.id;
  if (!id) return {};
  const data = await api.call('/service/tunnel/delete', { tunnelId: id });
  // The next start creates a fresh tunnel for this key.
  identity.learnTunnelId(undefined);
  keeper.forget();
  return data;
}
