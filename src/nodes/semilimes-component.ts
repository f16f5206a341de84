import { DATA_COMPONENTS, buildDataComponent, type DataComponentType } from '../semilimes';
import { evaluateFields, type FieldEntries } from './lib/component-fields';
import { registerDefinitionsRoute } from './lib/definitions-route';
import { FlowInputError } from './lib/flow-input';
import { NodeHarness } from './lib/harness';
import type { NodeAPI, NodeDef, Node, NodeConstructor } from './lib/node-red';
import { COMPONENT_MIGRATION } from './migrations/semilimes-component';
import { migrate } from './migrations/migrate';

interface ComponentDef extends NodeDef {
  componentType: string;
  /** Buckets: `create` describes a new bucket (with children), `reference` points at an existing one by id. */
  bucketMode?: 'create' | 'reference';
  fields?: FieldEntries;
}

/** Forms have their own node (semilimes-form). */
type BuiltType = Exclude<DataComponentType, 'form'>;

export = function register(RED: NodeAPI) {
  registerDefinitionsRoute(RED);

  function SemilimesComponentNode(this: Node, saved: ComponentDef) {
    RED.nodes.createNode(this, saved);
    const node = this;
    const def = migrate(COMPONENT_MIGRATION, saved);
    const harness = new NodeHarness(RED, node, { type: 'semilimes-component', failedLabel: 'status.invalid' });
    const t = harness.t;
    const type = def.componentType as BuiltType;
    const known = type in DATA_COMPONENTS && (type as string) !== 'form';
    const unknownType = () =>
      new FlowInputError('unknownType', t('errors.unknownType', { type: String(def.componentType) }));
    const reference = type === 'bucket' && def.bucketMode === 'reference';
    const noBucketId = () => new FlowInputError('noBucketId', t('errors.noBucketId'));

    if (!known) harness.showFailure(unknownType());

    /** The saved fields that apply: a bucket reference is its id and nothing else, a new bucket has no id. */
    function entries(): FieldEntries | undefined {
      if (reference) {
        // As the documentation's "Referencing buckets" shows.
        if (!def.fields?.bucketId || def.fields.bucketId.v === '') throw noBucketId();
        return { bucketId: def.fields.bucketId };
      }
      if (type === 'bucket' && def.fields?.bucketId) return { ...def.fields, bucketId: undefined };
      return def.fields;
    }

    harness.onInput(async (msg) => {
      if (!known) throw unknownType();
      const fields = await evaluateFields(RED, node, DATA_COMPONENTS[type].fields, entries(), msg, type, t);
      // The id may come from the message; without it the component would silently mean "create a new bucket".
      if (reference && (typeof fields.bucketId !== 'string' || fields.bucketId.trim() === '')) throw noBucketId();
      msg.payload = buildDataComponent(type, fields);
      return { msg, status: t('status.built') };
    });
  }

  RED.nodes.registerType('semilimes-component', SemilimesComponentNode as unknown as NodeConstructor);
};
