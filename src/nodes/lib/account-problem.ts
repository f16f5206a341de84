import { resolveUrls } from '../../semilimes';
import type { Translate } from './translate';

/**
 * Why an account cannot work at all, in words (no key, a base URL that is malformed or plain http to a remote host),
 * or undefined when it can. Shown on every user node until a redeploy fixes it.
 */
export function accountProblem(apiKey: string, baseUrl: string, t: Translate): string | undefined {
  if (!apiKey) return t('status.noKey');
  try {
    resolveUrls(baseUrl);
    return undefined;
  } catch (err) {
    return (err as Error).message.includes('loopback') ? t('errors.insecureUrl') : t('errors.badUrl', { url: baseUrl });
  }
}
