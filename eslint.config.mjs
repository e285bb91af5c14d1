import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['**/dist/**', '**/gen/**', '**/node_modules/**', '.nx/**', '**/coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Engines and the stack take time and randomness from injected Clock/Random.
    files: [
      'packages/addr/src/**/*.ts',
      'packages/wire/src/**/*.ts',
      'packages/stack/src/**/*.ts',
      'packages/link/src/**/*.ts',
      'apps/*/src/engine/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'use an injected Random' },
        { object: 'Date', property: 'now', message: 'use an injected Clock' },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval'],
    },
  },
);
