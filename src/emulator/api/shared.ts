// Small rules shared by the chat endpoints.
import { badRequest, forbidden } from '../envelope';
import { StoredMessage } from '../store';
import { addReaction, removeReaction } from '../messaging';
import { bodyObject, JsonObject, reqString } from '../validate';
import { ApiContext } from './context';

/** Only the publisher of a message may edit it. */
export function requireAuthor(message: StoredMessage, accountId: string): StoredMessage {
  if (message.publisherId !== accountId) throw forbidden(`only the publisher can update message ${message.messageId}`);
  return message;
}

/** A reaction is a non-empty string, usually one emoji. */
export function requireReaction(body: JsonObject): string {
  const reaction = body.reaction;
  if (typeof reaction !== 'string' || reaction === '') throw badRequest('body.reaction must be a non-empty string');
  return reaction;
}

/** reaction/send and reaction/remove of one chat kind; `lookup` finds the message the caller may react to. */
export function reactionHandler(add: boolean, lookup: (ctx: ApiContext, messageId: string) => StoredMessage) {
  return (ctx: ApiContext) => {
    const body = bodyObject(ctx.body);
    const message = lookup(ctx, reqString(body, 'messageId'));
    const reaction = requireReaction(body);
    // Documented for p2p reactions: the refName of the component in the message the reaction is for.
    if (body.messageRefName !== undefined && typeof body.messageRefName !== 'string') {
      throw badRequest('body.messageRefName must be a string');
    }
    if (add) {
      addReaction(message, ctx.account.accountId, reaction);
      return { messageId: message.messageId, addedReaction: reaction };
    }
    removeReaction(message, ctx.account.accountId, reaction);
    return { messageId: message.messageId, removedReaction: reaction };
  };
}
