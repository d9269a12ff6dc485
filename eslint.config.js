// ESLint flat config: the recommended rules plus the type-aware rules that catch real bugs in a webhook (a promise
// nobody awaits loses its error and outlives the review's deadline; a switch over a union that misses a member falls
// through to the wrong verdict). Formatting is Prettier's job (.prettierrc), so no stylistic rules here.
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The generated pod spec check is TypeBox's output, checked against the schema by pod-spec-check-code.test.ts.
  { ignores: ['dist/', 'coverage/', '.tap/', 'bench/results/', 'src/**/*.generated.ts'] },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        // tsconfig.test.json covers src/ and test/; bench/tsconfig.json covers bench/.
        project: ['./tsconfig.test.json', './bench/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // tap queues and reports every subtest itself: `t.test(...)` is not awaited on purpose.
        { allowForKnownSafePromises: [{ from: 'package', name: 'PromiseWithSubtest', package: '@tapjs/core' }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // The `_` prefix marks a deliberately unused binding, as for tsc's noUnusedParameters.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    rules: {
      // Control characters are matched on purpose: text from registries and tenants is checked and stripped of them.
      'no-control-regex': 'off',
      // A server's handler refers to the server object assigned after it is created (`let self` read in a callback).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['test/**/*.ts', 'src/**/*.test.ts'],
    rules: {
      // Tests read parsed JSON answers (AdmissionReview responses, registry bodies) by path.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
