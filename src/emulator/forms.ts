// Form submissions: what the semilimes app sends when a person submits a received form.
import { badRequest, forbidden, notFound } from './envelope';
import { Core } from './core';
import { isInChat, publish } from './messaging';
import { ChatRef, StoredMessage } from './store';
import { isObject, JsonObject } from './validate';

export interface SubmitFormInput {
  from: string;
  messageId: string;
  values?: Record<string, unknown>;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Where the submission goes: the form's receiver (a contact -> p2p from the submitter, a group chat, a channel),
 * or, without a receiver, back to the form's sender as a p2p message.
 */
function destination(core: Core, form: JsonObject, formMessage: StoredMessage, submitterId: string): ChatRef {
  const receiver = isObject(form.receiver) ? form.receiver : null;
  if (!receiver) {
    if (formMessage.publisherId === submitterId)
      throw badRequest('a form without receiver goes back to its sender, who is the submitter');
    return { featureType: 'p2p', accountIds: [submitterId, formMessage.publisherId] };
  }
  const id = String(receiver.id);
  switch (receiver.featureType) {
    case 'contact':
      core.store.account(id);
      if (id === submitterId) throw badRequest('the form receiver is the submitter itself');
      return { featureType: 'p2p', accountIds: [submitterId, id] };
    case 'groupchat':
      return { featureType: 'groupchat', groupChatId: core.store.groupChat(id).groupChatId };
    case 'channel':
      return { featureType: 'channel', channelId: core.store.channel(id).channelId };
    default:
      throw badRequest(`unsupported form receiver featureType ${String(receiver.featureType)}`);
  }
}

export function submitForm(core: Core, input: SubmitFormInput): StoredMessage {
  const { store } = core;
  store.account(input.from);
  const formMessage = store.messages.get(input.messageId);
  if (!formMessage) throw notFound(`message ${input.messageId} not found`);
  const form = formMessage.dataComponent;
  if (form.dataComponentType !== 'form') throw badRequest(`message ${input.messageId} is not a form`);
  if (!isInChat(store, formMessage.chat, input.from))
    throw forbidden(`account ${input.from} did not receive message ${input.messageId}`);

  const values = input.values ?? {};
  const components = (Array.isArray(form.formComponents) ? form.formComponents : []) as JsonObject[];
  const refNames = new Set(components.map((c) => c.refName));
  for (const key of Object.keys(values)) {
    if (!refNames.has(key)) throw badRequest(`the form has no component with refName "${key}"`);
  }
  const formComponents = components.map((component) => {
    const refName = String(component.refName);
    const filled = Object.prototype.hasOwnProperty.call(values, refName)
      ? { ...component, value: values[refName] }
      : { ...component };
    if (component.requiredSelection === true && isEmpty(filled.value))
      throw badRequest(`form component "${refName}" requires a value`);
    return filled;
  });

  const submission = {
    dataComponentType: 'formsubmission',
    replyTo: { messageId: formMessage.messageId, refName: typeof form.refName === 'string' ? form.refName : null },
    submitterId: input.from,
    formComponents,
  };
  return publish(core, input.from, destination(core, form, formMessage, input.from), submission);
}
