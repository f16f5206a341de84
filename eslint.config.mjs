// Lint: typescript-eslint's recommended rules for the TypeScript sources, ESLint's recommended rules for the
// JavaScript tests, benchmarks and scripts. Formatting is Prettier's job (see .prettierrc.json), so no style rules.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.demo/**', 'test-artifacts/**', 'coverage/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Node-RED calls a node's constructor with the node as `this`; naming it `node` for the closures that outlive
      // the constructor is the runtime's own idiom.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['node'] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'commonjs',
      globals: { ...globals.node, ...globals.mocha },
    },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
  // Browser tests pass functions to the page; those run where `window`, `document` and the editor's `RED` exist.
  { files: ['test/e2e/**/*.js', 'test/helpers/editor-browser.js'], languageOptions: { globals: { ...globals.browser, RED: 'readonly', $: 'readonly' } } },
);
