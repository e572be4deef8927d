// Lint: TypeScript rules plus the house's layering (docs/ARCHITECTURE.md, rule 1):
// core imports nothing of ours above it and no runtime (electron, node:*, I/O libraries);
// the renderer never imports main or electron; only main/electron imports electron.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

const coreBans = {
  paths: [
    { name: 'electron', message: 'core/ is pure: no electron (docs/ARCHITECTURE.md, rule 1).' },
    ...NODE_BUILTINS.map((name) => ({ name, message: 'core/ is pure: no Node built-ins; take I/O through a port.' })),
    ...['mongodb', 'ccxt', 'ws', 'react', 'react-dom', 'pino', '@napi-rs/keyring'].map((name) => ({
      name,
      message: 'core/ is pure: no I/O or UI libraries; define a port instead.',
    })),
  ],
  patterns: [
    { group: ['node:*'], message: 'core/ is pure: no node:* modules; take I/O through a port.' },
    {
      group: ['**/main', '**/main/**', '**/renderer', '**/renderer/**'],
      message: 'core/ must not import main/ or renderer/ (dependencies point down).',
    },
  ],
};

const rendererBans = {
  paths: [{ name: 'electron', message: 'renderer/ talks to the back end only through core/api.' }],
  patterns: [
    { group: ['**/main', '**/main/**'], message: 'renderer/ must not import main/; use the core/api contract.' },
    { group: ['node:*'], message: 'renderer/ runs in a browser sandbox: no node:* modules.' },
  ],
};

// A request's failure is shown to the user, never dropped: pages call through the desk's
// request() (deskContext.tsx), which puts every failure on the strip of failed requests.
const droppedFailures = [
  {
    selector:
      "CallExpression[callee.property.name=/^(then|catch|finally)$/][callee.object.callee.property.name='call']",
    message:
      'Call the back end through useDesk().request (or await it in try/catch and show the error): a failed request must be shown, not dropped.',
  },
  {
    selector:
      "UnaryExpression[operator='void'] > CallExpression[callee.object.name='client'][callee.property.name='call']",
    message: 'A request whose outcome is thrown away drops its failure: call it through useDesk().request.',
  },
];

const mainNonElectronBans = {
  paths: [
    {
      name: 'electron',
      message: 'Only main/electron/ may import electron; the rest of main/ also runs under plain Node.',
    },
  ],
  patterns: [{ group: ['**/renderer', '**/renderer/**'], message: 'main/ must not import renderer/.' }],
};

// main/ is one folder per concern (docs/ARCHITECTURE.md, "Folders"). Features reach each other
// only through core/ports; adapters (the database, exchanges, the keychain, logging, settings)
// serve every feature and import none; the composition folders wire them all. Tests wire real
// parts together and are exempt.
const MAIN_FEATURES = ['alerts', 'audit', 'execution', 'freqtrade', 'market', 'monitor', 'research', 'signals'];
const MAIN_ADAPTERS = ['database', 'exchange', 'logging', 'secrets', 'settings'];
const MAIN_COMPOSITION = ['api', 'app', 'electron', 'workers'];

function mainFolderRules(folder) {
  const banned = MAIN_ADAPTERS.includes(folder)
    ? [...MAIN_FEATURES, ...MAIN_COMPOSITION]
    : [...MAIN_FEATURES.filter((f) => f !== folder), ...MAIN_COMPOSITION];
  const what = MAIN_ADAPTERS.includes(folder) ? 'An adapter imports no feature' : 'Features reach each other';
  // One entry per depth, so '../market/' is matched only where it leaves this folder.
  return [1, 2, 3].map((depth) => ({
    files: [`main/${folder}/${'*/'.repeat(depth - 1)}*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...mainNonElectronBans,
          patterns: [
            ...mainNonElectronBans.patterns,
            {
              regex: `^(\\.\\./){${depth}}(${banned.join('|')})(/|$)`,
              message: `${what} only through core/ports: main/${folder}/ must not import that folder (docs/ARCHITECTURE.md, rule 2).`,
            },
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-pack/',
      'build/',
      'artifacts/',
      'test-results/',
      'playwright-report/',
      'bench-results/',
      'resources/bin/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', coreBans],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'core/ is pure: no process.' },
        { name: 'window', message: 'core/ is pure: no DOM.' },
        { name: 'document', message: 'core/ is pure: no DOM.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: { 'no-restricted-imports': ['error', rendererBans] },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/deskContext.tsx', 'renderer/src/api/**'],
    rules: { 'no-restricted-syntax': ['error', ...droppedFailures] },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    languageOptions: { globals: globals.node },
    rules: { 'no-restricted-imports': ['error', mainNonElectronBans] },
  },
  { files: ['main/electron/**/*.ts'], languageOptions: { globals: globals.node } },
  ...[...MAIN_FEATURES, ...MAIN_ADAPTERS].flatMap(mainFolderRules),
  {
    files: ['scripts/**/*.{js,mjs,ts}', 'e2e/**/*.ts', 'test/**/*.ts', '*.config.{js,ts}', '.ci/**'],
    languageOptions: { globals: globals.node },
  },
);
