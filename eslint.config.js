// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Module boundaries (docs/architecture.md), enforced on import paths:
 * - a module reaches another module only through its index.ts;
 * - platform/ and shared/ never import modules;
 * - shared/ and each module's domain/ are pure: no platform code, no IO library, no use case.
 */
const MODULE_MESSAGE = 'Passez par index.ts du module (frontières de modules, docs/architecture.md).';
const PURE_MESSAGE = 'Le code pur (domain/, shared/) ne fait ni entrée-sortie ni appel aux cas d’usage.';

/** From a file `depth` folders below src/modules/<module>/, the path to a sibling module's internals. */
function otherModuleInternals(depth) {
  const up = '\\.\\./'.repeat(depth);
  return { regex: `^${up}(?!\\.\\.)[^/]+/(?!index\\.js$)`, message: MODULE_MESSAGE };
}

const intoAnyModuleInternals = { regex: 'modules/[^/]+/(?!index\\.js$)', message: MODULE_MESSAGE };
const IO_LIBRARIES = ['pg', 'kysely', '@electric-sql/pglite', 'fastify', 'node:fs', 'node:fs/promises', 'node:net', 'nodemailer'];

function restrict(patterns, paths = []) {
  return { 'no-restricted-imports': ['error', { patterns, paths: paths.map((name) => ({ name, message: PURE_MESSAGE })) }] };
}

export default tseslint.config(
  // public/ holds browser scripts served as they are (no build step, no Node types).
  { ignores: ['node_modules/', 'data/', 'dist/', 'coverage/', 'artifacts/', '.dependency-cruiser.cjs', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: false }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^(h|Fragment)$' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['src/**/*.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts'], rules: restrict([intoAnyModuleInternals]) },
  { files: ['src/modules/*/*.{ts,tsx}'], rules: restrict([intoAnyModuleInternals, otherModuleInternals(1)]) },
  { files: ['src/modules/*/*/*.{ts,tsx}'], rules: restrict([intoAnyModuleInternals, otherModuleInternals(2)]) },
  { files: ['src/modules/*/*/*/*.{ts,tsx}'], rules: restrict([intoAnyModuleInternals, otherModuleInternals(3)]) },
  {
    files: ['src/platform/**/*.{ts,tsx}'],
    rules: restrict([{ group: ['**/modules/**'], message: 'platform/ ne dépend d’aucun module.' }]),
  },
  {
    files: ['src/shared/**/*.ts', 'src/modules/*/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(
      [
        { group: ['**/platform/**', '**/modules/**'], message: PURE_MESSAGE },
        { regex: '^\\.\\./(?!\\.\\.)[^/]+\\.js$', message: PURE_MESSAGE },
        otherModuleInternals(2),
      ],
      IO_LIBRARIES,
    ),
  },
  {
    files: ['**/*.test.{ts,tsx}', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  { files: ['*.js'], ...tseslint.configs.disableTypeChecked },
);
