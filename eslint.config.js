// Lint: typescript-eslint strict-type-checked, plus the one-way import rule between layers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const lowerLayers = {
  crypto: ['api', 'authz', 'keys', 'audit', 'cli', 'store', 'root'],
  store: ['api', 'authz', 'keys', 'audit', 'cli', 'crypto', 'root'],
  keys: ['api', 'cli'],
  authz: ['api', 'cli'],
  audit: ['api', 'cli'],
};

const layerRules = Object.entries(lowerLayers).map(([layer, forbidden]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((f) => ({
          group: [`../${f}/*`, `../../${f}/*`, `../../../${f}/*`],
          message: `src/${layer} must not import from src/${f} (imports point one way).`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'bin/**',
      'scripts/**',
      'coverage/**',
      'trent-data/**',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  ...layerRules,
);
