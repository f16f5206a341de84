import { readFormSubmission, type InboundMessage } from '../../semilimes';

/** What a receive node listens to at all; who may talk to it is its allow-list (allow-list.ts). */
export interface ReceiveFilter {
  kinds: { p2p: boolean; groupchat: boolean; channel: boolean };
  componentTypes: string[];
  formRefNames: string[];
}

/** Splits a comma separated setting into trimmed, non-empty entries. */
export function splitList(text: unknown): string[] {
  return typeof text === 'string' ? text.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** The conversation a message belongs to: the group chat, the channel, or for p2p the other person. */
export function chatIdOf(message: InboundMessage): string {
  return message.groupChatId ?? message.channelId ?? message.senderId;
}

/** Who wrote the message; for a form answer, who submitted it. */
export function senderOf(message: InboundMessage): string {
  const { dataComponent } = message;
  if (dataComponent.dataComponentType === 'formsubmission' && typeof dataComponent.submitterId === 'string') {
    return dataComponent.submitterId;
  }
  return message.senderId;
}

export function matchesFilter(message: InboundMessage, filter: ReceiveFilter): boolean {
  if (!filter.kinds[message.featureType]) return false;
  const type = message.dataComponent.dataComponentType;
  if (filter.componentTypes.length && !filter.componentTypes.includes(type)) return false;
  if (filter.formRefNames.length) {
    if (type !== 'formsubmission') return false;
    const { refName } = readFormSubmission(message.dataComponent);
    if (!refName || !filter.formRefNames.includes(refName)) return false;
  }
  return true;
}

/**
 * Builds the message a flow receives (see the message contract in the README). It carries the reply route, so a
 * send node with no destination answers the same conversation.
 */
export function toFlowMessage(message: InboundMessage): Record<string, unknown> {
  const { dataComponent } = message;
  const semilimes: Record<string, unknown> = {
    eventType: 'MessageReceived',
    featureType: message.featureType,
    messageId: message.messageId,
    senderId: message.senderId,
    receivedOn: message.receivedOn,
  };
  if (message.groupChatId) semilimes.groupChatId = message.groupChatId;
  if (message.channelId) semilimes.channelId = message.channelId;
  if (message.domain) semilimes.domain = message.domain;

  const msg: Record<string, unknown> = { dataComponent, semilimes, messageId: message.messageId };
  if (dataComponent.dataComponentType === 'formsubmission') {
    const submission = readFormSubmission(dataComponent);
    msg.payload = submission.values;
    msg.form = { messageId: submission.messageId, refName: submission.refName, submitterId: submission.submitterId };
    // The form's own id: a send node with the update action then refreshes the form in place.
    if (submission.messageId) msg.messageId = submission.messageId;
  } else if (dataComponent.dataComponentType === 'text' && typeof dataComponent.text === 'string') {
    msg.payload = dataComponent.text;
  } else {
    msg.payload = dataComponent;
  }

  if (message.featureType === 'groupchat') msg.groupChatId = message.groupChatId;
  else if (message.featureType === 'channel') msg.channelId = message.channelId;
  else msg.recipientId = senderOf(message);
  msg.topic = chatIdOf(message);
  return msg;
}
