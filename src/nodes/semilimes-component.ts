import { DATA_COMPONENTS, buildDataComponent, type DataComponentType } from '../semilimes';
import { BuilderStatus } from './lib/builder-status';
import { evaluateFields, type FieldEntries } from './lib/component-fields';
import { registerDefinitionsRoute } from './lib/definitions-route';
import type { DoneFn, FlowMessage, NodeAPI, NodeDef, Node, SendFn } from './lib/node-red';

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

  function SemilimesComponentNode(this: Node, def: ComponentDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = new BuilderStatus((s) => node.status(s));
    const t = (key: string, subs?: Record<string, string | number>) => RED._(key, subs);
    const type = def.componentType as BuiltType;
    const known = type in DATA_COMPONENTS && (type as string) !== 'form';

    if (!known) status.failed(t('semilimes-component.status.invalid'), t('semilimes-component.errors.unknownType', { type: String(def.componentType) }));

    async function build(msg: FlowMessage): Promise<Record<string, unknown>> {
      if (!known) throw new Error(t('semilimes-component.errors.unknownType', { type: String(def.componentType) }));
      let entries = def.fields;
      if (type === 'bucket' && def.bucketMode === 'reference') {
        // A reference is the bucket id and nothing else, as the documentation's "Referencing buckets" shows.
        entries = { bucketId: def.fields?.bucketId };
        if (!entries.bucketId || entries.bucketId.v === '') throw new Error(t('semilimes-component.errors.noBucketId'));
      } else if (type === 'bucket' && def.fields?.bucketId) {
        entries = { ...def.fields, bucketId: undefined };
      }
      const fields = await evaluateFields(RED, node, DATA_COMPONENTS[type].fields, entries, msg, type);
      // The id may come from the message; without it the component would silently mean "create a new bucket".
      if (type === 'bucket' && def.bucketMode === 'reference' && (typeof fields.bucketId !== 'string' || fields.bucketId.trim() === '')) {
        throw new Error(t('semilimes-component.errors.noBucketId'));
      }
      return buildDataComponent(type, fields);
    }

    node.on('input', (msg: FlowMessage, send: SendFn, done: DoneFn) => {
      build(msg).then(
        (component) => {
          msg.payload = component;
          status.built(t('semilimes-component.status.built'));
          send(msg);
          done();
        },
        (err: Error) => {
          status.failed(t('semilimes-component.status.invalid'), err.message);
          done(err);
        },
      );
    });
  }

  RED.nodes.registerType('semilimes-component', SemilimesComponentNode as any);
};
