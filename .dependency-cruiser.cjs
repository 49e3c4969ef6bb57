/**
 * Layer rules for Flotilla (see CONVENTIONS.md and docs/ARCHITECTURE.md).
 * Imports go downward only; each entry lists the src/ folders a layer may import.
 * Relaxing a rule needs a note in docs/design/.
 */
const allowed = {
  base: [],
  api: ['base'],
  storage: ['base', 'api'],
  apiserver: ['base', 'api', 'storage'],
  client: ['base', 'api'],
  runtime: ['base', 'api', 'client'],
  controllers: ['base', 'api', 'client', 'runtime'],
  scheduler: ['base', 'api', 'client', 'runtime'],
  members: ['base', 'api', 'client'],
  dns: ['base', 'api'],
  simulator: ['base', 'api', 'storage', 'apiserver', 'client', 'runtime', 'controllers'],
  cli: ['base', 'api', 'client'],
  dashboard: ['base', 'api', 'client'],
  cmd: [
    'base',
    'api',
    'storage',
    'apiserver',
    'client',
    'runtime',
    'controllers',
    'scheduler',
    'members',
    'dns',
    'simulator',
    'cli',
    'dashboard',
  ],
};
const layers = Object.keys(allowed);

const layerRules = layers.map((layer) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only: ${allowed[layer].join(', ') || 'nothing in src'}`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: {
    path: '^src/([^/]+)/',
    pathNot: [`^src/${layer}/`, ...allowed[layer].map((l) => `^src/${l}/`)],
  },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'controllers-independent',
      comment: 'controllers never import each other',
      severity: 'error',
      from: { path: '^src/controllers/([^/]+)/' },
      to: { path: '^src/controllers/([^/]+)/', pathNot: ['^src/controllers/$1/'] },
    },
    {
      name: 'plugins-independent',
      comment: 'scheduler plugins never import each other',
      severity: 'error',
      from: { path: '^src/scheduler/plugins/([^/]+)/' },
      to: { path: '^src/scheduler/plugins/([^/]+)/', pathNot: ['^src/scheduler/plugins/$1/'] },
    },
    {
      name: 'no-src-from-tests-only',
      comment: 'production code must not import test helpers of other layers',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$|/testing/' },
      to: { path: '(\\.test\\.ts$|^test/)' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
