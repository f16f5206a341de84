/**
 * The CLI's WebSocket address. The CLI listens on localhost without authentication or encryption; a CLI on another
 * machine belongs behind a proxy with TLS and basic auth (`wss://`). Plain `ws://` to another host would carry every
 * message (and any password) in clear, so it is refused unless the user explicitly accepts that.
 */
import { InvalidInputError } from './errors';

export const DEFAULT_CLI_URL = 'ws://127.0.0.1:5225';

export interface CliAddress {
  /** The address to connect to, without user name or password. */
  url: string;
  /** Plain `ws://` to a host other than this machine: everything travels unencrypted. */
  unencrypted: boolean;
  /** User name and password found in the address (`wss://user:pass@host`), moved out of it. */
  username?: string;
  password?: string;
}

/** True for addresses that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * Checks a CLI address. `ws://` is accepted for this machine; for any other host only with
 * `allowUnencryptedRemote` (for instance a CLI container on a private Docker network).
 */
export function resolveCliUrl(text: string = DEFAULT_CLI_URL, allowUnencryptedRemote = false): CliAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError('the CLI address is not a valid URL (expected ws://host:port or wss://host)');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new InvalidInputError(`the CLI address must start with ws:// or wss://, not ${url.protocol}//`);
  }
  const out: CliAddress = { url: '', unencrypted: false };
  if (url.username || url.password) {
    out.username = decodeURIComponent(url.username);
    out.password = decodeURIComponent(url.password);
    url.username = '';
    url.password = '';
  }
  if (url.protocol === 'ws:' && !isLoopbackHost(url.hostname)) {
    if (!allowUnencryptedRemote) {
      throw new InvalidInputError(
        `ws:// to ${url.host} would send every message unencrypted; use wss:// through a TLS proxy, ` +
          'or allow unencrypted connections to other hosts explicitly',
      );
    }
    out.unencrypted = true;
  }
  out.url = url.toString();
  return out;
}
