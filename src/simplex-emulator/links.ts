// Fake but well-formed SimpleX links. The full form follows the shape of real contact and invitation URIs; the short
// form uses a reserved `.invalid` host so it can never reach a real relay. The relay resolves either form by its id.
import { randomBytes } from 'node:crypto';

export type LinkKind = 'contact' | 'invitation' | 'group';

const SHORT_HOST = 'smp4.simplex.invalid';
const SHORT_PREFIX: Record<LinkKind, string> = { contact: 'a', invitation: 'i', group: 'g' };

export function newLinkId(): string {
  return randomBytes(18).toString('base64url');
}

export function fullLink(kind: LinkKind, id: string): string {
  const smp = encodeURIComponent(
    `smp://${randomBytes(8).toString('base64url')}@${SHORT_HOST}/${id}#/?v=1-4&dh=MCowBQYDK2VuAyEA`,
  );
  const path = kind === 'invitation' ? 'invitation' : 'contact';
  const group = kind === 'group' ? `&data=${encodeURIComponent('{"groupLinkId":"' + id + '"}')}` : '';
  return `https://simplex.chat/${path}#/?v=2-7&smp=${smp}${group}`;
}

export function shortLink(kind: LinkKind, id: string): string {
  return `https://${SHORT_HOST}/${SHORT_PREFIX[kind]}#${id}`;
}

export function createdConnLink(kind: LinkKind, id: string): { connFullLink: string; connShortLink: string } {
  return { connFullLink: fullLink(kind, id), connShortLink: shortLink(kind, id) };
}

/** The link id inside either form, or undefined when the text is not one of this relay's links. */
export function linkIdOf(text: string): string | undefined {
  const short = /^https:\/\/smp4\.simplex\.invalid\/[aig]#([A-Za-z0-9_-]+)$/.exec(text);
  if (short) return short[1];
  if (!/^(https:\/\/simplex\.chat\/|simplex:\/)(contact|invitation)#\/\?/.test(text)) return undefined;
  const smpParam = /[?&]smp=([^&]+)/.exec(text);
  if (!smpParam) return undefined;
  let smp: string;
  try {
    smp = decodeURIComponent(smpParam[1]);
  } catch {
    return undefined;
  }
  const id = /^smp:\/\/[^@]+@[^/]+\/([A-Za-z0-9_-]+)#/.exec(smp);
  return id?.[1];
}
