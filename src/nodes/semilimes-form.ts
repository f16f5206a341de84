import {
  DATA_COMPONENTS,
  FORM_COMPONENTS,
  buildForm,
  buildFormComponent,
  coerceSubmittedValue,
  type FormComponentType,
} from '../semilimes';
import { evaluateFields, type FieldEntries } from './lib/component-fields';
import { registerDefinitionsRoute } from './lib/definitions-route';
import { FlowInputError } from './lib/flow-input';
import { NodeHarness } from './lib/harness';
import type { FlowMessage, NodeAPI, NodeDef, Node } from './lib/node-red';
import { OnceLog } from './lib/once-log';
import { evaluateTypedInput } from './lib/typed-input';
import { FORM_MIGRATION } from './migrations/semilimes-form';
import { migrate } from './migrations/migrate';

/** One row of the editor's list. */
interface SavedComponent {
  type: string;
  refName: string;
  fields?: FieldEntries;
}

interface FormDef extends NodeDef {
  /** Form-level settings (submitEnabled, align, refName, ...), each a typed input. */
  settings?: FieldEntries;
  /** Who may submit the form: nobody in particular, or one contact, group chat or channel. */
  receiverKind?: 'none' | 'contact' | 'groupchat' | 'channel';
  receiverId?: string;
  receiverIdType?: string;
  components?: SavedComponent[];
}

const RECEIVER_KINDS = ['contact', 'groupchat', 'channel'];

/** The form's own fields that the settings rows set; the receiver and the components have their own editors. */
const { receiver: _receiver, formComponents: _components, ...SETTING_FIELDS } = DATA_COMPONENTS.form.fields;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);

export = function register(RED: NodeAPI) {
  registerDefinitionsRoute(RED);

  function SemilimesFormNode(this: Node, saved: FormDef) {
    RED.nodes.createNode(this, saved);
    const node = this;
    const def = migrate(FORM_MIGRATION, saved);
    const harness = new NodeHarness(RED, node, { type: 'semilimes-form', failedLabel: 'status.invalid' });
    const t = harness.t;
    const rows = Array.isArray(def.components) ? def.components : [];
    const settable = new Set(
      rows
        .filter((row) => 'value' in (FORM_COMPONENTS[row.type as FormComponentType]?.fields ?? {}))
        .map((row) => row.refName),
    );
    const unknownNames = new OnceLog();

    /** A misspelt refName (e.g. "Power" for "power") would silently leave the form unchanged: say so, once. */
    function reportUnknownNames(current: Record<string, unknown>): void {
      const unknown = unknownNames.fresh(Object.keys(current).filter((name) => !settable.has(name)));
      if (unknown.length === 0) return;
      node.warn(t('errors.unknownValues', { names: unknown.join(', '), known: [...settable].join(', ') }));
    }

    /** One row of the list as a form component, with msg.payload's current value for it when there is one. */
    async function component(row: SavedComponent, index: number, msg: FlowMessage, current: Record<string, unknown>) {
      const definition = FORM_COMPONENTS[row.type as FormComponentType];
      if (!definition) throw new FlowInputError('unknownType', t('errors.unknownType', { index: index + 1, type: String(row.type) }));
      const fields = await evaluateFields(RED, node, definition.fields, row.fields, msg, `${row.type} "${row.refName}"`);
      if (Object.prototype.hasOwnProperty.call(current, row.refName) && 'value' in definition.fields) {
        fields.value = coerceSubmittedValue(row.type, current[row.refName]);
      }
      return buildFormComponent(row.type as FormComponentType, row.refName, fields);
    }

    async function receiver(msg: FlowMessage): Promise<{ id: string; featureType: string } | undefined> {
      if (!def.receiverKind || !RECEIVER_KINDS.includes(def.receiverKind)) return undefined;
      const id = await evaluateTypedInput(RED, node, def.receiverId, def.receiverIdType || 'str', msg);
      if (typeof id !== 'string' || id.trim() === '') {
        throw new FlowInputError('noReceiver', t('errors.noReceiver', { type: def.receiverKind }));
      }
      return { id: id.trim(), featureType: def.receiverKind };
    }

    harness.onInput(async (msg) => {
      // msg.payload as {refName: value} sets current values (a lamp's real state), so the form can be re-sent.
      const current = isPlainObject(msg.payload) ? msg.payload : {};
      reportUnknownNames(current);
      const components = [];
      for (const [i, row] of rows.entries()) components.push(await component(row, i, msg, current));
      const settings = await evaluateFields(RED, node, SETTING_FIELDS, def.settings, msg, 'form');
      const to = await receiver(msg);
      if (to) settings.receiver = to;
      msg.payload = buildForm(settings, components);
      return { msg, status: t('status.built') };
    });
  }

  RED.nodes.registerType('semilimes-form', SemilimesFormNode as any);
};
