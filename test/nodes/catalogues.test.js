'use strict';
// Every catalogue key the nodes use exists in the node type's en-US catalogue: the runtime (src/nodes) and the
// editor (nodes/*.html). The test runtime shows keys instead of texts, so a missing key would not show elsewhere.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const catalogue = (type) => JSON.parse(fs.readFileSync(path.join(root, 'nodes', 'locales', 'en-US', `${type}.json`), 'utf8'));
const has = (key) => {
  const [type, ...rest] = key.split('.');
  let node = catalogue(type);
  for (const part of [type, ...rest]) {
    if (node === undefined || node === null) return false;
    node = node[part];
  }
  return typeof node === 'string';
};

function filesUnder(dir, ext) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name), ext) : e.name.endsWith(ext) ? [path.join(dir, e.name)] : [],
  );
}

const FULL_KEY =
  /["'`](?:\[html\])?((?:semilimes-(?:account|send|receive|api|file|tunnel|events|command|ask)|simplex-(?:cli|receive|send|command))\.[A-Za-z0-9_.]+[A-Za-z0-9_])["'`]/g;
/** Files whose translate function prepends a prefix to the keys it is given. */
/** A quoted key relative to a node type's catalogue, as the harness's `t` takes them ('errors.noAccount'). */
const RELATIVE_KEY = /['"`]((?:status|errors|expected|rotation|warnings|lookup|label)\.[A-Za-z0-9_.]*[A-Za-z0-9_])['"`]/g;
const RELATIVE = {
  'semilimes-api.ts': { prefix: 'semilimes-api.', pattern: RELATIVE_KEY },
  'semilimes-send.ts': { prefix: 'semilimes-send.', pattern: RELATIVE_KEY },
  'semilimes-receive.ts': { prefix: 'semilimes-receive.', pattern: RELATIVE_KEY },
  'allow-list.ts': { prefix: 'semilimes-receive.', pattern: RELATIVE_KEY },
  'message-settings.ts': { prefix: 'semilimes-send.', pattern: RELATIVE_KEY },
  'outbound.ts': { prefix: 'semilimes-send.', pattern: RELATIVE_KEY },
  'semilimes-events.ts': { prefix: 'semilimes-events.', pattern: RELATIVE_KEY },
  'semilimes-command.ts': { prefix: 'semilimes-command.', pattern: RELATIVE_KEY },
  'semilimes-ask.ts': { prefix: 'semilimes-ask.', pattern: RELATIVE_KEY },
  'semilimes-form.ts': { prefix: 'semilimes-form.', pattern: RELATIVE_KEY },
  'semilimes-component.ts': { prefix: 'semilimes-component.', pattern: RELATIVE_KEY },
  'semilimes-account.ts': { prefix: 'semilimes-account.', pattern: RELATIVE_KEY },
  'account-key-watch.ts': { prefix: 'semilimes-account.', pattern: RELATIVE_KEY },
  'account-problem.ts': { prefix: 'semilimes-account.', pattern: RELATIVE_KEY },
  'semilimes-file.ts': { prefix: 'semilimes-file.', pattern: RELATIVE_KEY },
  'file-folder.ts': { prefix: 'semilimes-file.', pattern: RELATIVE_KEY },
  'file-sources.ts': { prefix: 'semilimes-file.', pattern: RELATIVE_KEY },
  'download-targets.ts': { prefix: 'semilimes-file.', pattern: RELATIVE_KEY },
  'semilimes-tunnel.ts': { prefix: 'semilimes-tunnel.', pattern: RELATIVE_KEY },
  'tunnel-actions.ts': { prefix: 'semilimes-tunnel.', pattern: RELATIVE_KEY },
  'tunnel-status.ts': { prefix: 'semilimes-tunnel.', pattern: RELATIVE_KEY },
  'lookup-routes.ts': { prefix: 'semilimes-account.', pattern: RELATIVE_KEY },
  'key-lifecycle.ts': { prefix: 'semilimes-account.rotation.', pattern: /\bt\(\s*'([A-Za-z0-9_.]+)'/g },
  'simplex-cli.ts': { prefix: 'simplex-cli.', pattern: RELATIVE_KEY },
  'simplex-connection.ts': { prefix: 'simplex-cli.', pattern: RELATIVE_KEY },
  'simplex-routes.ts': { prefix: 'simplex-cli.', pattern: RELATIVE_KEY },
  'simplex-receive.ts': { prefix: 'simplex-receive.', pattern: RELATIVE_KEY },
  'simplex-send.ts': { prefix: 'simplex-send.', pattern: RELATIVE_KEY },
  'simplex-outbound.ts': { prefix: 'simplex-send.', pattern: RELATIVE_KEY },
  'simplex-command.ts': { prefix: 'simplex-command.', pattern: RELATIVE_KEY },
};

describe('message catalogues', () => {
  const sources = [...filesUnder(path.join(root, 'src', 'nodes'), '.ts'), ...filesUnder(path.join(root, 'nodes'), '.html')]
    .filter((f) => !f.includes(`${path.sep}locales${path.sep}`));
  for (const file of sources) {
    it(`has every key ${path.relative(root, file)} uses`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const keys = [...text.matchAll(FULL_KEY)].map((m) => m[1]);
      const relative = RELATIVE[path.basename(file)];
      if (relative) keys.push(...[...text.matchAll(relative.pattern)].map((m) => relative.prefix + m[1]));
      // Permission names (x.read) and icon files (x.svg) look like keys but are not.
      const missing = [...new Set(keys)].filter((k) => !/\.(read|write|svg)$/.test(k) && !has(k));
      assert.deepEqual(missing, []);
    });
  }

  it('has the texts of the node harness in the catalogue of every node type built on it', () => {
    const { HARNESS_KEYS, CONNECTION_KEYS } = require('../../dist/nodes/lib/harness');
    const harnessed = fs
      .readdirSync(path.join(root, 'src', 'nodes'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => ({ type: f.replace(/\.ts$/, ''), text: fs.readFileSync(path.join(root, 'src', 'nodes', f), 'utf8') }))
      .filter(({ text }) => text.includes('new NodeHarness'));
    assert.ok(harnessed.length >= 5, `only ${harnessed.length} node types on the harness`);
    const missing = [];
    for (const { type, text } of harnessed) {
      // A node that names its own failure label needs no status.failed.
      const harnessKeys = HARNESS_KEYS.filter((key) => !(key === 'status.failed' && text.includes('failedLabel:')));
      const keys = [...harnessKeys, ...(/config: def\.\w+/.test(text) ? CONNECTION_KEYS : [])];
      for (const key of keys) if (!has(`${type}.${key}`)) missing.push(`${type}.${key}`);
    }
    assert.deepEqual(missing, []);
  });

  it('words every reason a typed api parameter can be refused', () => {
    const { coerceParam, ParamTypeError } = require('../../dist/nodes/lib/api-params');
    for (const type of ['string', 'integer', 'number', 'boolean', 'string[]', 'object', 'object[]']) {
      try {
        coerceParam({ name: 'p', type, in: 'body', description: '' }, Symbol('never fits'));
        assert.fail(`${type} accepted a symbol`);
      } catch (err) {
        assert.ok(err instanceof ParamTypeError);
        assert.ok(has(`semilimes-api.expected.${err.expected}`), err.expected);
      }
    }
  });
});
