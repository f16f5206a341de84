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
import type { FlowMessage, NodeAPI, NodeDef, Node, NodeConstructor } from './lib/node-red';
import { OnceLog, listNames } from './lib/once-log';
import { payloadObject } from './lib/plain-object';
import type { Translate } from './lib/translate';
import { evaluateTypedInput } from './lib/typed-input';
import { migrate } from './migrations/migrate';
import { FORM_MIGRATION } from './migrations/semilimes-form';

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

/** A form node's rows and settings, and what they give for each message. */
class FormInputs {
  private readonly rows: SavedComponent[];
  /** The refNames whose value msg.payload may set. */
  private readonly settable: Set<string>;
  private readonly unknownNames = new OnceLog();

  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: FormDef,
    private readonly t: Translate,
  ) {
    this.rows = Array.isArray(def.components) ? def.components : [];
    const withValue = this.rows.filter(
      (row) => 'value' in (FORM_COMPONENTS[row.type as FormComponentType]?.fields ?? {}),
    );
    this.settable = new Set(withValue.map((row) => row.refName));
  }

  /** The form for one message: msg.payload as {refName: value} sets current values (a lamp's real state). */
  async build(msg: FlowMessage): Promise<Record<string, unknown>> {
    const current = payloadObject(msg.payload, (kind) => this.t('errors.payloadNotObject', { kind })) ?? {};
    this.reportUnknownNames(current);
    const components = [];
    for (const [i, row] of this.rows.entries()) components.push(await this.component(row, i, msg, current));
    const settings = await evaluateFields(this.RED, this.node, SETTING_FIELDS, this.def.settings, msg, 'form', this.t);
    const receiver = await this.receiver(msg);
    if (receiver) settings.receiver = receiver;
    return buildForm(settings, components);
  }

  /** One row of the list as a form component, with msg.payload's current value for it when there is one. */
  private async component(row: SavedComponent, index: number, msg: FlowMessage, current: Record<string, unknown>) {
    const definition = FORM_COMPONENTS[row.type as FormComponentType];
    if (!definition) {
      throw new FlowInputError(
        'unknownType',
        this.t('errors.unknownType', { index: index + 1, type: String(row.type) }),
      );
    }
    const where = `${row.type} "${row.refName}"`;
    const fields = await evaluateFields(this.RED, this.node, definition.fields, row.fields, msg, where, this.t);
    if (Object.prototype.hasOwnProperty.call(current, row.refName) && 'value' in definition.fields) {
      fields.value = coerceSubmittedValue(row.type, current[row.refName]);
    }
    return buildFormComponent(row.type as FormComponentType, row.refName, fields);
  }

  private async receiver(msg: FlowMessage): Promise<{ id: string; featureType: string } | undefined> {
    const kind = this.def.receiverKind;
    if (!kind || !RECEIVER_KINDS.includes(kind)) return undefined;
    const id = await evaluateTypedInput(
      this.RED,
      this.node,
      this.def.receiverId,
      this.def.receiverIdType || 'str',
      msg,
    );
    if (typeof id !== 'string' || id.trim() === '') {
      throw new FlowInputError('noReceiver', this.t('errors.noReceiver', { type: kind }));
    }
    return { id: id.trim(), featureType: kind };
  }

  /** A misspelt refName (e.g. "Power" for "power") would silently leave the form unchanged: say so, once. */
  private reportUnknownNames(current: Record<string, unknown>): void {
    const unknown = this.unknownNames.fresh(Object.keys(current).filter((name) => !this.settable.has(name)));
    if (unknown.length === 0) return;
    this.node.warn(this.t('errors.unknownValues', { names: listNames(unknown), known: listNames([...this.settable]) }));
  }
}

export = function register(RED: NodeAPI) {
  registerDefinitionsRoute(RED);

  function SemilimesFormNode(this: Node, saved: FormDef) {
    RED.nodes.createNode(this, saved);
    const def = migrate(FORM_MIGRATION, saved);
    const harness = new NodeHarness(RED, this, { type: 'semilimes-form', failedLabel: 'status.invalid' });
    const inputs = new FormInputs(RED, this, def, harness.t);

    harness.onInput(async (msg) => {
      msg.payload = await inputs.build(msg);
      return { msg, status: harness.t('status.built') };
    });
  }

  RED.nodes.registerType('semilimes-form', SemilimesFormNode as unknown as NodeConstructor);
};
