'use strict';
// The component types come from the definitions (TypeScript type machinery on `as const` objects): a file of
// typed assignments, some of which must be refused (@ts-expect-error), compiles cleanly.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

describe('component types derived from the definitions', function () {
  it('accept documented values and refuse undocumented ones at compile time', function () {
    this.timeout(60000);
    const file = path.join(__dirname, '..', 'types', 'components.check.ts');
    const tsc = require.resolve('typescript/bin/tsc');
    const result = spawnSync(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--esModuleInterop',
        '--skipLibCheck',
        '--target',
        'ES2022',
        '--module',
        'commonjs',
        '--types',
        'node',
        file,
      ],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});
