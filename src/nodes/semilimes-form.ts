import {
  DATA_COMPONENTS,
  FORM_COMPONENTS,
  buildForm,
  buildFormComponent,
  coerceSubmittedValue,
  type FormComponentType,
} from '../semilimes';
import { BuilderStatus } from './lib/builder-status';
import { evaluateFields, type FieldEntries } from './lib/component-fields';
import { registerDefinitionsRoute } from './lib/definitions-route';
import type { DoneFn, FlowMessage, NodeAPI, NodeDef, Node, SendFn } from './lib/node-red';
import { evaluateTypedInput } from './lib/typed-input';

/** One row of the editor's list. */
interface SavedComponent {
  type: string;
  refName: string;
  fields?: FieldEntries;
}

interface FormDef extends NodeDef {
  /** Form-level settings (submitEnabled, align, refName, ...), each a typed input. */
  settings?: FieldEntries;
  receiverType?: 'none' | 'contact' | 'groupchat' | 'channel';
  receiver?: string;
  receiverInputType?: string;
  components?: SavedComponent[];
}

const RECEIVER_TYPES = ['contact', 'groupchat', 'channel'];

/** The form's own fields that the settings rows set; the receiver and the components have their own editors. */
const { receiver: _receiver, formComponents: _components, ...SETTING_FIELDS } = DATA_COMPONENTS.form.fields;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

export = function register(RED: NodeAPI) {
  registerDefinitionsRoute(RED);

  function SemilimesFormNode(this: Node, def: FormDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new BuilderStatus((s) => node.status(s));
    const t = (key: string, subs?: Record<string, string | number>) => RED._(key, subs);
    const saved = Array.isArray(def.components) ? def.components : [];
    const settable = new Set(
      saved.filter((row) => 'value' in (FORM_COMPONENTS[row.type as FormComponentType]?.fields ?? {})).map((row) => row.refName),
    );
    /** Names in msg.payload that set nothing, already reported (once each, so a busy flow does not flood the log). */
    const reportedUnknown = new Set<string>();

    /** A misspelt refName (e.g. "Power" for "power") would silently leave the form unchanged: say so, once. */
    function reportUnknownNames(current: Record<string, unknown>): void {
      const unknown = Object.keys(current).filter((name) => !settable.has(name) && !reportedUnknown.has(name));
      if (unknown.length === 0) return;
      unknown.forEach((name) => reportedUnknown.add(name));
      node.warn(t('semilimes-form.errors.unknownValues', { names: unknown.join(', '), known: [...settable].join(', ') }));
    }

    async function build(msg: FlowMessage): Promise<Record<string, unknown>> {
      // msg.payload as {refName: value} sets current values (a lamp's real state), so the form can be re-sent.
      const current = isPlainObject(msg.payload) ? msg.payload : {};
      reportUnknownNames(current);
      const components = [];
      for (const [i, row] of saved.entries()) {
        const definition = FORM_COMPONENTS[row.type as FormComponentType];
        if (!definition) throw new Error(t('semilimes-form.errors.unknownType', { index: i + 1, type: String(row.type) }));
        const where = `${row.type} "${row.refName}"`;
        const fields = await evaluateFields(RED, node, definition.fields, row.fields, msg, where);
        if (Object.prototype.hasOwnProperty.call(current, row.refName) && 'value' in definition.fields) {
          fields.value = coerceSubmittedValue(row.type, current[row.refName]);
        }
        components.push(buildFormComponent(row.type as FormComponentType, row.refName, fields));
      }
      const settings = await evaluateFields(RED, node, SETTING_FIELDS, def.settings, msg, 'form');
      if (def.receiverType && RECEIVER_TYPES.includes(def.receiverType)) {
        const id = await evaluateTypedInput(RED, node, def.receiver, def.receiverInputType || 'str', msg);
        if (typeof id !== 'string' || id.trim() === '') throw new Error(t('semilimes-form.errors.noReceiver', { type: def.receiverType }));
        settings.receiver = { id: id.trim(), featureType: def.receiverType };
      }
      return buildForm(settings, components);
    }

    node.on('input', (msg: FlowMessage, send: SendFn, done: DoneFn) => {
      build(msg).then(
        (form) => {
          msg.payload = form;
          status.built(t('semilimes-form.status.built'));
          send(msg);
          done();
        },
        (err: Error) => {
          status.failed(t('semilimes-form.status.invalid'), err.message);
          done(err);
        },
      );
    });
  }

  RED.nodes.registerType('semilimes-form', SemilimesFormNode as any);
};
