// Import cycles are forbidden between files and between folders of src/ and commands/ (type-only
// imports count: a cycle of types is still two modules that must be read together). Run by
// `npm run check:deps`, part of `npm test`.
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-file-cycle',
      severity: 'error',
      comment:
        'Two files import each other (directly or through others): move the shared part to where it belongs.',
      from: { path: '^(src|commands)/' },
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment:
        'Two folders import each other (directly or through others): the lower one must not know the higher one.',
      scope: 'folder',
      from: { path: '^(src|commands)/' },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^(src|commands)/',
    // The entry: it imports the root and the surfaces, and nothing imports it (an ESLint rule
    // keeps it so), so it closes no cycle. Left in, it would make the folder of the leaf modules
    // beside it (errors.ts, logger.ts) depend on everything.
    exclude: { path: '^src/main\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
