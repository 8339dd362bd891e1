// Type-aware lint, plus the rules of the house as checks (ARCHITECTURE.md): platform/ imports no
// domain; a domain reaches another domain only through its service.ts (types and schema too).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const domains = ['identity', 'audit', 'charters', 'catalog', 'projects', 'ingest', 'linkage', 'optout', 'extraction', 'workspaces', 'outputs', 'synthetic', 'registry', 'demo', 'airlock', 'alerts'];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.tmp', '.hdh', 'coverage', 'test-results', 'web/public'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: domains.map((d) => `**/${d}/**`), message: 'platform/ imports no domain (ARCHITECTURE.md).' }] }],
    },
  },
  ...domains.map((d) => ({
    files: [`src/${d}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: domains.filter((o) => o !== d).flatMap((o) => [`../${o}/*`, `!../${o}/service.js`, `!../${o}/schema.js`, `!../${o}/policy.js`]),
              message: 'A domain reaches another domain only through its service.ts, schema.ts or policy.ts (ARCHITECTURE.md).',
            },
          ],
        },
      ],
    },
  })),
  // The web UI runs in the browser: its globals, and the rules of hooks.
  { files: ['web/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended, languageOptions: { globals: globals.browser } },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked, languageOptions: { globals: globals.node, parserOptions: { projectService: false, project: null } } },
);
