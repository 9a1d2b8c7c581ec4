/**
 * Module dependency rules checked by `npm run lint` (ADR 0006, ADR 0012). ESLint checks import
 * paths file by file; dependency-cruiser sees the whole graph, so it catches cycles.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules (and files) never depend on each other in a cycle: a cycle means the cut is wrong.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'modules-through-index',
      severity: 'error',
      comment: 'A module reaches another module only through its index.ts.',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'platform-and-shared-never-import-modules',
      severity: 'error',
      from: { path: '^src/(platform|shared)/' },
      to: { path: '^src/modules/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.tsx?$|\\.test-builders\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
