// ESLint 9 flat config: typescript-eslint with type information, plus the project's boundaries as import rules whose
// messages say why. test/unit/architecture.test.ts enforces the same boundaries; the lint rule shows them in the editor.
// Run: npm run lint
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const pureCore = 'src/core is pure: no editor, no drivers, no I/O — see ARCHITECTURE.md. Do this in src/host, src/db or src/vscode and pass plain values in.';
const editorOnly = 'Only src/vscode/** and src/extension.ts may import vscode, so everything else runs in the CLI and in tests — see ARCHITECTURE.md.';
const sdkOnly = 'Only src/llm/** talks to the Anthropic SDK, so there is one place for keys, retries and cancellation — see ARCHITECTURE.md.';

/**
 * A no-restricted-imports pattern matching the modules themselves and their subpaths (`pg/lib/…`, `fs/promises`),
 * anchored so that a relative path merely containing the name (`../src/vscode/chat/html`) does not match.
 */
function restrict(modules, message) {
  const names = modules.map((m) => m.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  return { regex: `^(${names})(/.*)?$`, message };
}

const vscodeRule = restrict(['vscode'], editorOnly);
const sdkRule = restrict(['@anthropic-ai/sdk'], sdkOnly);
// The same lists as test/unit/architecture.test.ts.
const nodeIo = ['fs', 'child_process', 'net', 'http', 'https', 'tls', 'dgram', 'worker_threads', 'os', 'process', 'dns', 'cluster', 'readline'];
const coreRules = [
  vscodeRule,
  sdkRule,
  restrict(['pg', 'pg-pool', 'pg-protocol', 'pg-types', 'pg-cursor', 'pg-native', 'better-sqlite3', 'sql.js', 'node:sqlite', '@electric-sql/pglite'], pureCore),
  restrict([...nodeIo, ...nodeIo.map((m) => `node:${m}`)], pureCore),
  // Relative imports that leave core for the layers that do I/O (from any depth: ../db, ../../vscode, …).
  { regex: '^(\\.\\./)+(db|llm|vscode|cli|host|app)(/.*)?$', message: pureCore },
];

/** Node's own globals for the plain .mjs scripts, taken from the Node that runs ESLint (the one that runs them). */
const nodeGlobals = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', 'bench/results/**', 'test/fixtures/**', 'test/e2e/workspace/**', 'demo/**', 'out/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with its own tsconfig: the root one for src/test/bench, media/tsconfig.json for the webview;
        // the root *.config.ts files belong to no tsconfig and get a default one.
        projectService: { allowDefaultProject: ['*.config.ts'] },
        tsconfigRootDir: dirname(fileURLToPath(import.meta.url)),
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A dropped promise is a swallowed error; `void` marks deliberate fire-and-forget.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only: a default export has no name to search for or to rename (see the style guide).' },
        { selector: "ExportSpecifier[exported.name='default']", message: 'Named exports only: a default export has no name to search for or to rename (see the style guide).' },
      ],
      'no-restricted-imports': ['error', { patterns: [vscodeRule, sdkRule] }],
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: coreRules }],
      'no-restricted-globals': ['error', { name: 'process', message: pureCore }],
    },
  },
  {
    // vitest's asymmetric matchers (expect.stringContaining, expect.any, …) are typed `any`, so every object pattern
    // that uses one would be reported; untyped values in tests are still caught by no-unsafe-member-access/-call.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // The webview runs in a browser sandbox: no editor API and no Node modules exist there.
    files: ['media/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [vscodeRule, sdkRule, { regex: '^node:', message: 'media/ is the webview: it runs in a browser, where Node modules do not exist.' }] },
      ],
    },
  },
  {
    files: ['src/vscode/**', 'src/extension.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sdkRule] }] },
  },
  {
    files: ['src/llm/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [vscodeRule] }] },
  },
  {
    // Plain JavaScript scripts and hand-written declarations are not in a tsconfig: lint them without type information.
    ...tseslint.configs.disableTypeChecked,
    files: ['**/*.mjs', '**/*.cjs', '**/*.js', '**/*.d.mts'],
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: nodeGlobals },
  },
  {
    // CommonJS scripts (bin/, probes run by tests) load modules with require: that is their module system.
    files: ['**/*.cjs', 'bin/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeGlobals, require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tool configuration files are loaded through their default export.
    files: ['*.config.mjs', '*.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
