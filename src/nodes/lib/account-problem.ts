import { resolveUrls } from '../../semilimes';
import type { Translate } from './translate';

/**
 * Why an account cannot work at all, in words (no key, a base URL that is malformed or plain http to a remote host,
 * a proxy URL that cannot work), or undefined when it can. Shown on every user node until a redeploy fixes it.
 */
export function accountProblem(apiKey: string, baseUrl: string, t: Translate, proxy = ''): string | undefined {
  if (!apiKey) return t('status.noKey');
  try {
    resolveUrls(baseUrl);
  } catch (err) {
    return (err as Error).message.includes('loopback') ? t('errors.insecureUrl') : t('errors.badUrl', { url: baseUrl });
  }
  return proxy.trim() ? proxyProblem(proxy.trim(), t) : undefined;
}

/** A proxy URL that cannot work, or that carries credentials (they belong in the credential fields, not the flow). */
function proxyProblem(proxy: string, t: Translate): string | undefined {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
  } catch {
    return t('errors.badProxy');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return t('errors.badProxy');
  if (url.username || url.password) return t('errors.proxyCredentialsInUrl');
  return undefined;
}
