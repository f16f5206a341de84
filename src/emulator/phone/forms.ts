// A form message: its components as real inputs, submitted as the documentation describes. submitEnabled shows
// a Submit button (otherwise every change is sent at once), retainStatus shows the last submitted values to
// everyone, authorizeSubmit asks for the PIN first.
import { api } from './api.js';
import { h } from './dom.js';
import { clock } from './format.js';
import { type Field, field } from './form-fields.js';
import { askPin } from './pin.js';
import { type Json, type JsonObject, type Message, type RenderContext, bool, objects, str } from './types.js';

function isEmpty(v: Json | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * The values a form shows: its own, or with retainStatus the newest submission, unless the sender changed the
 * form after that submission (then the sender's values are the current state).
 */
function startValues(message: Message): Record<string, Json | undefined> {
  const components = objects(message.dataComponent.formComponents);
  const values: Record<string, Json | undefined> = {};
  for (const c of components) values[str(c, 'refName')] = c.value;
  const last = message.formState?.last;
  const retain = bool(message.dataComponent, 'retainStatus', false);
  const editedSince = message.edited && last !== null && last !== undefined && message.updatedOn >= last.publishedOn;
  if (retain && last && !editedSince) {
    for (const c of components) {
      const ref = str(c, 'refName');
      if (c.formComponentType !== 'hiddenvalue' && ref in last.values) values[ref] = last.values[ref];
    }
  }
  return values;
}

export function formComponent(message: Message, ctx: RenderContext): HTMLElement {
  const dc = message.dataComponent;
  const mine = message.publisherId === ctx.me;
  const submitEnabled = bool(dc, 'submitEnabled', true);
  const values = startValues(message);
  const form = h('form', `sl-form align-${str(dc, 'align', 'left')}`);
  form.noValidate = true;
  const footer = h('div', 'form-footer');
  const status = h('div', 'form-status');
  let sending = false;

  const readers: Array<{ component: JsonObject; field: Field }> = [];
  const submit = async (): Promise<void> => {
    if (sending) return;
    const answers: JsonObject = {};
    for (const { component, field: f } of readers) {
      const v = f.read();
      if (v === undefined) continue;
      const ref = str(component, 'refName');
      const node = form.querySelector<HTMLElement>(`[data-ref-name="${CSS.escape(ref)}"]`);
      if (bool(component, 'requiredSelection', false) && isEmpty(v)) {
        node?.classList.add('invalid');
        status.textContent = `“${str(component, 'title') || ref}” is required`;
        return;
      }
      node?.classList.remove('invalid');
      answers[ref] = v;
    }
    if (bool(dc, 'authorizeSubmit', false) && !(await askPin(str(dc, 'submitText') || 'Submit'))) {
      status.textContent = 'Not sent: the PIN was not confirmed';
      return;
    }
    sending = true;
    status.textContent = 'Sending…';
    try {
      await api.submitForm(ctx.me, message.messageId, answers);
      status.textContent = '✓ Sent';
      ctx.refresh();
    } catch (err) {
      status.textContent = `Not sent: ${(err as Error).message}`;
    } finally {
      sending = false;
    }
  };

  for (const component of objects(dc.formComponents)) {
    const f = field({
      component,
      value: values[str(component, 'refName')],
      disabled: mine,
      ctx,
      changed: () => {
        if (!submitEnabled && !mine) void submit();
      },
    });
    readers.push({ component, field: f });
    if (f.node) form.appendChild(f.node);
  }

  if (mine) {
    footer.appendChild(h('div', 'form-note', 'You sent this form'));
  } else if (submitEnabled) {
    const button = h(
      'button',
      { type: 'submit', class: 'submit-button' },
      bool(dc, 'authorizeSubmit', false) ? '🔒 ' : '',
      str(dc, 'submitText') || 'Submit',
    );
    footer.appendChild(button);
  } else {
    footer.appendChild(h('div', 'form-note', 'Changes are sent as you make them'));
  }
  const state = message.formState;
  if (state?.last && bool(dc, 'retainStatus', false)) {
    const who = state.last.submitterId === ctx.me ? 'you' : state.last.submitterName;
    footer.appendChild(h('div', 'form-note', `Last set by ${who} at ${clock(state.last.publishedOn)}`));
  } else if (state?.mine) {
    footer.appendChild(h('div', 'form-note', `You answered at ${clock(state.mine.publishedOn)}`));
  }
  footer.appendChild(status);
  form.appendChild(footer);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!mine) void submit();
  });
  return form;
}
