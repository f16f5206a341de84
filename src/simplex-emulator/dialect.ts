// The three wire dialects of the CLI's WebSocket frames (design file F7):
// - flat: `{"corrId","resp":{"type",...}}` (the current reference);
// - either: `resp` wrapped as `{"Right":{...}}`, errors as `{"Left": chatError}` (6.4.x);
// - legacy: received items as one `newChatItem` (singular) frame per item, `chatItem` holding the AChatItem (< 5.x).
import { WireDialect } from './faults';
import { Json } from './json';

export function frames(resp: Json, corrId: string | undefined, dialect: WireDialect): string[] {
  const frame = (body: unknown) => JSON.stringify(corrId === undefined ? { resp: body } : { corrId, resp: body });
  if (dialect === 'either') {
    const isError = resp.type === 'chatCmdError' || resp.type === 'chatError';
    return [frame(isError ? { Left: resp.chatError } : { Right: resp })];
  }
  if (dialect === 'legacy' && resp.type === 'newChatItems') {
    const items = resp.chatItems as Json[];
    const single = (chatItem: Json) => ({ type: 'newChatItem', user: resp.user, chatItem });
    if (corrId !== undefined) return [frame(items.length === 1 ? single(items[0]) : resp)];
    return items.map((item) => frame(single(item)));
  }
  return [frame(resp)];
}
