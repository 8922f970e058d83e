import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.data/**',
      'client/src/gql/**',
      'server/src/db/migrations/Migration*.ts',
      'tests/.tmp/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through server/src/config/env.ts' },
      ],
    },
  },
  {
    files: ['server/src/config/env.ts', 'scripts/**', 'tests/**', '**/*.config.ts', 'client/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
