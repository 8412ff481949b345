// typescript-eslint's strict rules over the project's TypeScript; generated files are not linted.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.data/**', 'dist/**', '.compiled/**', '**/generated/**', 'gateway/ide/**', 'coverage/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        fetch: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    rules: {
      // Leaving a property out by destructuring (`const { secret: _secret, ...rest } = row`) is the idiom for a copy without it.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    // Settings are read and checked once, in shared/src/runtime/config.ts (CONVENTIONS: "Nothing else reads
    // process.env"). Passing the whole environment on (to a child process, or to loadConfig) is allowed.
    files: ['gateway/**', 'services/**', 'shared/**', 'scripts/**', 'operations/**', 'clients/**'],
    ignores: ['shared/src/runtime/config.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.type='MemberExpression'][object.object.name='process'][object.property.name='env']",
          message: 'Read settings through loadConfig() (shared/src/runtime/config.ts), not process.env.',
        },
        {
          selector:
            "VariableDeclarator[id.type='ObjectPattern'][init.type='MemberExpression'][init.object.name='process'][init.property.name='env']",
          message: 'Read settings through loadConfig() (shared/src/runtime/config.ts), not process.env.',
        },
      ],
    },
  },
);
