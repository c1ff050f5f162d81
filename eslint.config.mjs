// Lint: typescript-eslint's type-checked recommendations, tuned to what this code base relies
// on, plus the layer rule (eslint/layersRule.mjs). `npm run lint` runs it with Prettier's check.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersRule } from './eslint/layersRule.mjs';

export default tseslint.config(
  {
    ignores: ['dist/**', 'dist-vsix/**', 'node_modules/**', '.e2e/**', '.package/**', 'test-results/**', 'coverage/**', '**/*.d.mts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', 'bench/*.mjs', 'bench/support/*.mjs', 'scripts/*.mjs', 'scripts/lib/*.mjs', 'eslint/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { sightline: { rules: { layers: layersRule } } },
    rules: {
      'sightline/layers': ['error', { srcRoot: `${import.meta.dirname}/src` }],
      // Unused parameters named _x are deliberate (interface shapes, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // `void promise` marks a deliberate fire-and-forget (VS Code notifications, for one).
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      // VS Code's API takes async callbacks in places typed as returning void (commands, events).
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, properties: false } }],
      // The lazy core is typed as `typeof import('./lazyCore')` so that nothing imports it statically.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // An AbortSignal's reason is `any` by the DOM's typing; passing it on is the contract.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // Async generators and Promise-typed callbacks with synchronous bodies are this code base's
      // way of producing AsyncIterables and meeting async interfaces; forgotten awaits are caught
      // by no-floating-promises and await-thenable instead.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'No default exports: name what a module exports.' }],
    },
  },
  {
    // Tool configuration files are read through their default export.
    files: ['eslint.config.mjs', '**/vitest*.config.mts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests read the JSON the product printed or sent; the assertions on it are the type check.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // expect(fake.method) hands a method to an assertion, not to a caller.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { exports: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Plain JavaScript (benchmarks, build scripts) is not type-checked.
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
        WebAssembly: 'readonly',
        globalThis: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
  },
);
