import { HostKeyChangedError, type TunnelStatus } from '../../semilimes';
import type { AccountUser } from './account';
import { shortCause, type StatusView } from './status';
import type { Translate } from './translate';

/**
 * Shows the tunnel's state where other nodes show their connection, on the shared status line: green dot with the
 * public address when up, yellow ring while connecting, red ring when down (with the retry delay and the cause) or
 * refused, grey ring when stopped.
 */
export function showTunnelStatus(status: StatusView, s: TunnelStatus, t: Translate): void {
  switch (s.state) {
    case 'up':
      status.connectionChanged({ state: 'connected' }, s.tunnelUrl || t('status.up'));
      return;
    case 'preparing':
    case 'connecting':
      status.connectionChanged({ state: 'connecting' }, t('status.connecting'));
      return;
    case 'down': {
      const seconds = Math.max(1, Math.round((s.retryInMs ?? 0) / 1000));
      const reason = shortCause(s.error?.message ?? '');
      status.connectionChanged({ state: 'disconnected' }, t('status.down', { seconds, reason }));
      return;
    }
    case 'failed': {
      const text =
        s.error instanceof HostKeyChangedError
          ? t('status.hostKeyChanged')
          : t('status.failed', { reason: shortCause(s.error?.message ?? '') });
      status.connectionChanged({ state: 'disconnected' }, text);
      return;
    }
    default:
      status.connectionChanged({ state: 'closed' }, t('status.stopped'));
  }
}

/**
 * The tunnel node as a user of its account: the tunnel's own state says more than the account's WebSocket, so of the
 * connection only a refused API key is shown.
 */
export function tunnelAccountUser(id: string, status: StatusView, t: Translate): AccountUser {
  return {
    id,
    connectionChanged: (change) => {
      if (change.state === 'unauthorized') status.connectionChanged(change, t('status.unauthorized'));
    },
    configProblem: (text) => status.configProblem(text),
  };
}
