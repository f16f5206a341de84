'use strict';
// The migration steps per node type: the runtime's (src/nodes/migrations) and the editor's (the table in each node
// type's html, applied by the account's html) are the same, and they bring a node saved by 0.1.0 up to date without
// touching one saved by this release.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { migrate, currentVersion } = require('../../dist/nodes/migrations/migrate');

const root = path.join(__dirname, '..', '..');
const RUNTIME = {
  'semilimes-send': require('../../dist/nodes/migrations/semilimes-send').SEND_MIGRATION,
  'semilimes-form': require('../../dist/nodes/migrations/semilimes-form').FORM_MIGRATION,
  'semilimes-file': require('../../dist/nodes/migrations/semilimes-file').FILE_MIGRATION,
  'semilimes-tunnel': require('../../dist/nodes/migrations/semilimes-tunnel').TUNNEL_MIGRATION,
};
const html = (type) => fs.readFileSync(path.join(root, 'nodes', `${type}.html`), 'utf8');

/** The table an html file gives the editor, between its markers. */
function editorMigration(type) {
  const found = /\/\* migration \*\/ (.*) \/\* end \*\//.exec(html(type));
  assert.ok(found, `${type}.html has a migration table`);
  return JSON.parse(found[1]);
}

/** The editor's apply function, run from the account's html in a sandbox with just enough of the editor around. */
function editorApply() {
  const sandbox = {
    window: {},
    RED: { nodes: { registerType() {}, getType: () => ({ _: (k) => k }) } },
    $: () => ({}),
  };
  const script = /<script type="text\/javascript">([\s\S]*?)<\/script>/.exec(html('semilimes-account'))[1];
  vm.runInNewContext(script, sandbox);
  return sandbox.window.SemilimesMigration.apply;
}

const fixtures = () =>
  fs
    .readdirSync(path.join(root, 'test', 'fixtures', 'flows-0.1.0'))
    .flatMap((f) => JSON.parse(fs.readFileSync(path.join(root, 'test', 'fixtures', 'flows-0.1.0', f), 'utf8')));

describe('migrations of saved nodes', () => {
  for (const [type, migration] of Object.entries(RUNTIME)) {
    describe(type, () => {
      it('gives the editor the same steps as the runtime', () => {
        assert.deepEqual(editorMigration(type), JSON.parse(JSON.stringify(migration)));
      });

      it('keeps every old property in the editor definition, so an imported 0.1.0 node carries its values in', () => {
        const renamed = migration.steps.flatMap((s) => Object.keys(s.renames));
        for (const name of renamed) assert.match(html(type), new RegExp(`\\n\\s+${name}: \\{\\},?\\n`), name);
      });

      it('moves every 0.1.0 value to its new name, in the runtime and in the editor alike', () => {
        const apply = editorApply();
        const old = fixtures().filter((n) => n.type === type);
        assert.ok(old.length > 0);
        for (const node of old) {
          const upgraded = migrate(migration, node);
          const inEditor = JSON.parse(JSON.stringify(node));
          apply(migration, inEditor);
          assert.deepEqual(inEditor, upgraded);
          assert.equal(upgraded.version, currentVersion(migration));
          for (const step of migration.steps) {
            for (const [oldName, newName] of Object.entries(step.renames)) {
              assert.ok(!(oldName in upgraded), `${oldName} removed`);
              if (oldName in node) assert.deepEqual(upgraded[newName], node[oldName], `${oldName} -> ${newName}`);
            }
          }
        }
      });

      it('leaves a node saved by this release as it is, and lets an old value win over a default beside it', () => {
        const current = migrate(
          migration,
          fixtures().find((n) => n.type === type),
        );
        assert.deepEqual(migrate(migration, current), current);
        // A dialog that never opened may save the new name with its default next to the old name with the value.
        for (const [oldName, newName] of Object.entries(migration.steps[0].renames)) {
          const mixed = { type, [newName]: 'default', [oldName]: 'saved value' };
          assert.equal(migrate(migration, mixed)[newName], 'saved value');
        }
      });
    });
  }

  it('shipped examples are saved with the current names and versions', () => {
    for (const file of fs.readdirSync(path.join(root, 'examples'))) {
      for (const node of JSON.parse(fs.readFileSync(path.join(root, 'examples', file), 'utf8'))) {
        const migration = RUNTIME[node.type];
        if (migration) assert.deepEqual(migrate(migration, node), node, `${file}: ${node.id}`);
      }
    }
  });
});
