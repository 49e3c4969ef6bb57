/**
 * `flotilla get clusters|bindings|clusterbindings|works [NAME]`: the fleet as tables (or JSON and
 * YAML) read from the hub. Scope: clusters and clusterbindings are cluster-scoped; bindings are
 * read in one namespace (`-n`, default `default`) or, with `-A`, in all of them together with the
 * ClusterResourceBindings; works are read from every member's namespace unless `--cluster` (or
 * `-n flotilla-es-<cluster>`) names one.
 */
import { parseArgs } from 'node:util';
import type { ResourceBinding } from '../api/flotilla/binding.js';
import type { Work } from '../api/flotilla/work.js';
import { workNamespace } from '../api/flotilla/work.js';
import type { KubeObject } from '../api/meta.js';
import { isNotFound } from '../api/status.js';
import { bindingTable } from '../cli/binding-table.js';
import { clusterTable } from '../cli/cluster-table.js';
import { formatObjects } from '../cli/object-output.js';
import type { PrintContext } from '../cli/style.js';
import { makeStyle } from '../cli/style.js';
import { workTable } from '../cli/work-table.js';
import { CommandError, UsageError } from './flags.js';
import type { FleetResource } from './fleet-resources.js';
import { FLEET_REFS, fleetResource, isNamespaced, namespaceName, objectName } from './fleet-resources.js';
import type { Hub } from './hub-access.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP, colourStdout, openHub, withHub } from './hub-access.js';

export const GET_HELP = `Usage: flotilla get clusters|bindings|clusterbindings|works [NAME] [-n NS | -A] [-o FORMAT]

Shows the fleet as the hub sees it.

  clusters         member clusters: READY, MODE, REGION, VERSION, NODES (ready/total),
                   CPU (available/allocatable, whole CPUs), AGE; -o wide adds ZONES, PROVIDER, TAINTS
  bindings         ResourceBindings of one namespace (-n, default "default"); with -A those of every
                   namespace and the ClusterResourceBindings (NAMESPACE <none>): SCHEDULED, CLUSTERS
                   (the decision, cluster:replicas), FULLYAPPLIED, AGE; -o wide adds RESOURCE, POLICY,
                   PRIORITY (also: binding, resourcebindings, rb)
  clusterbindings  ClusterResourceBindings (also: clusterresourcebindings, crb)
  works            Works of every member cluster (they live in namespaces flotilla-es-<cluster>), or of
                   one with --cluster: CLUSTER, RESOURCES, APPLIED, HEALTH, AGE

With NAME, only that object (an error if it does not exist); -o json|yaml then prints the object
itself, otherwise a List. A Work's NAME is the same in every cluster its binding reaches: without
--cluster every one of them is shown.

Flags:
  -n, --namespace NS    namespace of bindings (default "default") or of works (flotilla-es-<cluster>)
  -A, --all-namespaces  bindings of every namespace, and ClusterResourceBindings
  --cluster NAME        works: only those of member cluster NAME
  -o, --output FORMAT   table (default), wide, json or yaml
${HUB_OPTIONS_HELP}  -h, --help            this help
`;

type Output = 'table' | 'wide' | 'json' | 'yaml';
const OUTPUTS: readonly Output[] = ['table', 'wide', 'json', 'yaml'];

/** What to read: the kind, one object or all, and where. */
interface Query {
  resource: FleetResource;
  name: string | undefined;
  /** undefined: every namespace (or a cluster-scoped kind). */
  namespace: string | undefined;
}

/** Runs `flotilla get`; resolves with the exit code. */
export async function runGet(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      namespace: { type: 'string', short: 'n' },
      'all-namespaces': { type: 'boolean', short: 'A', default: false },
      cluster: { type: 'string' },
      output: { type: 'string', short: 'o', default: 'table' },
      ...HUB_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(GET_HELP);
    return 0;
  }
  const output = values.output as Output;
  if (!OUTPUTS.includes(output))
    throw new UsageError(`--output must be one of ${OUTPUTS.join(', ')}, got "${values.output}"`);
  const query = queryOf(positionals, values);
  const hub = await openHub(values.kubeconfig, values.context);
  const objects = await withHub(hub, () => read(hub, query));
  if (output === 'json' || output === 'yaml') {
    const single = query.name !== undefined && (query.resource !== 'works' || query.namespace !== undefined);
    process.stdout.write(formatObjects(objects, { format: output, single }));
    return 0;
  }
  if (objects.length === 0) {
    const where = query.namespace && query.resource === 'bindings' ? ` in ${query.namespace} namespace` : '';
    process.stderr.write(`No resources found${where}.\n`);
    return 0;
  }
  const context = { now: Date.now(), style: makeStyle(colourStdout()), wide: output === 'wide' };
  process.stdout.write(table(query, objects, context));
  return 0;
}

function queryOf(
  positionals: readonly string[],
  values: { namespace?: string | undefined; 'all-namespaces': boolean; cluster?: string | undefined },
): Query {
  const [word, name, extra] = positionals;
  const resource = fleetResource(word, ['clusters', 'bindings', 'clusterbindings', 'works']);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const all = values['all-namespaces'];
  if (values.namespace !== undefined && all) throw new UsageError('-n and -A cannot be used together');
  if (!isNamespaced(resource) && (values.namespace !== undefined || all))
    throw new UsageError(`${resource} are cluster-scoped: -n and -A do not apply`);
  if (values.cluster !== undefined && resource !== 'works')
    throw new UsageError('--cluster applies to works only');
  if (values.cluster !== undefined && (values.namespace !== undefined || all))
    throw new UsageError('--cluster cannot be used with -n or -A');
  if (name !== undefined && all && resource === 'bindings')
    throw new UsageError('a binding cannot be read by name across all namespaces; use -n NS');
  let namespace: string | undefined;
  if (values.namespace !== undefined) namespace = namespaceName(values.namespace);
  else if (values.cluster !== undefined) namespace = namespaceName(workNamespace(values.cluster));
  else if (resource === 'bindings' && !all) namespace = 'default';
  return { resource, name: name === undefined ? undefined : objectName(name), namespace };
}

/** The objects `query` selects, in the hub's order; a missing NAME is a `CommandError`. */
async function read(hub: Hub, query: Query): Promise<KubeObject[]> {
  const { resource, name, namespace } = query;
  const { signal } = hub;
  const ref = { ...FLEET_REFS[resource], ...(namespace ? { namespace } : {}) };
  if (name !== undefined && (namespace !== undefined || !isNamespaced(resource))) {
    try {
      return [await hub.client.get(ref, name, { signal })];
    } catch (err) {
      if (isNotFound(err)) throw notFound(query, name);
      throw err;
    }
  }
  const items = (await hub.client.list(ref, { signal })).items;
  if (resource === 'bindings' && namespace === undefined)
    items.push(...(await hub.client.list(FLEET_REFS.clusterbindings, { signal })).items);
  if (name === undefined) return items;
  const named = items.filter((o) => o.metadata.name === name);
  if (named.length === 0) throw notFound(query, name);
  return named;
}

function notFound(query: Query, name: string): CommandError {
  const where = query.namespace ? ` in namespace "${query.namespace}"` : '';
  return new CommandError(`${query.resource} "${name}" not found${where}`);
}

function table(query: Query, objects: readonly KubeObject[], o: PrintContext & { wide: boolean }): string {
  switch (query.resource) {
    case 'clusters':
      return clusterTable(objects, o);
    case 'bindings':
    case 'clusterbindings':
      return bindingTable(objects as ResourceBinding[], {
        ...o,
        namespaces: query.resource === 'bindings' && query.namespace === undefined,
      });
    case 'works':
      return workTable(objects as Work[], o);
  }
}
