// ESLint flat config: typescript-eslint's type-aware recommended rules for all TypeScript sources.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'proto/gen/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-console': 'error',
    },
  },
  {
    files: ['bin/**/*.js', 'eslint.config.js', '.dependency-cruiser.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      globals: { process: 'readonly', console: 'readonly', module: 'writable' },
    },
  },
  {
    // The dashboard's page: plain ES modules run by the browser, outside the TypeScript project.
    files: ['controller/dashboard/page/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      globals: Object.fromEntries(
        [
          ...['window', 'document', 'fetch', 'EventSource', 'DOMParser', 'Node'],
          ...['setTimeout', 'clearTimeout', 'setInterval', 'URL'],
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // One owner of a trial's lifecycle: in a search only controller/search/trial-lifecycle.ts
    // writes trial rows (the store defines them; doctor's repairs live beside it).
    files: ['controller/**/*.ts'],
    ignores: ['controller/search/trial-lifecycle.ts', 'controller/store/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression > MemberExpression.callee > Identifier.property[name=/^trial(Queued|Started|Epoch|Finished|Requeued|Interrupted)$/]',
          message:
            "a trial's state changes go through TrialLifecycle (controller/search/trial-lifecycle.ts), which checks and stores them",
        },
      ],
    },
  },
  {
    // The CLIs and benchmarks write to the terminal on purpose.
    files: ['controller/cli/**/*.ts', 'controller/cli.ts', 'trainer/main.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
