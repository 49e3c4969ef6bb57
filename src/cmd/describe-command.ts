/**
 * `flotilla describe cluster NAME`, `flotilla describe binding NAME [-n NS]` and `flotilla
 * describe clusterbinding NAME`: one object in kubectl-describe form, with the recent Events
 * whose involvedObject it is. A binding is a ResourceBinding in its namespace (default
 * `default`); a ClusterResourceBinding is named as a clusterbinding — one word per kind, so a
 * name never means two objects.
 */
import { parseArgs } from 'node:util';
import type { ResourceBinding } from '../api/flotilla/binding.js';
import type { KubeObject } from '../api/meta.js';
import { isNotFound } from '../api/status.js';
import { describeBinding } from '../cli/describe-binding.js';
import { describeCluster } from '../cli/describe-cluster.js';
import type { CoreEvent } from '../cli/event-table.js';
import { makeStyle } from '../cli/style.js';
import { CommandError, UsageError } from './flags.js';
import { FLEET_REFS, fleetResource, namespaceName, objectName } from './fleet-resources.js';
import type { Hub } from './hub-access.js';
import { HUB_OPTIONS, HUB_OPTIONS_HELP, colourStdout, openHub, withHub } from './hub-access.js';

export const DESCRIBE_HELP = `Usage: flotilla describe cluster NAME
       flotilla describe binding NAME [-n NS]
       flotilla describe clusterbinding NAME

Shows one object in detail, with its recent events.

  cluster         spec (mode, endpoint, region, zones, provider, taints), conditions, nodes,
                  resources (allocatable, allocated, available …) and the APIs it serves
  binding         a ResourceBinding (namespace -n, default "default"): its resource, the policy
                  that claimed it and its placement, the decision, each cluster's copy (applied,
                  health, status), conditions and the scheduling history
                  (also: resourcebinding, rb)
  clusterbinding  the same for a ClusterResourceBinding (also: clusterresourcebinding, crb)

Flags:
  -n, --namespace NS    namespace of the binding (default "default")
${HUB_OPTIONS_HELP}  -h, --help            this help
`;

const EVENTS = { apiVersion: 'v1', plural: 'events' };

/** Runs `flotilla describe`; resolves with the exit code. */
export async function runDescribe(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      namespace: { type: 'string', short: 'n' },
      ...HUB_OPTIONS,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    process.stdout.write(DESCRIBE_HELP);
    return 0;
  }
  const [word, name, extra] = positionals;
  const resource = fleetResource(word, ['clusters', 'bindings', 'clusterbindings']);
  if (name === undefined) throw new UsageError(`a NAME is required: flotilla describe ${word ?? ''} NAME`);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (values.namespace !== undefined && resource !== 'bindings')
    throw new UsageError(`${resource} are cluster-scoped: -n does not apply`);
  const namespace = resource === 'bindings' ? namespaceName(values.namespace ?? 'default') : undefined;
  const ref = { ...FLEET_REFS[resource], ...(namespace ? { namespace } : {}) };
  const hub = await openHub(values.kubeconfig, values.context);
  const context = { now: Date.now(), style: makeStyle(colourStdout()) };
  const text = await withHub(hub, async () => {
    let obj: KubeObject;
    try {
      obj = await hub.client.get(ref, objectName(name), { signal: hub.signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const where = namespace ? ` in namespace "${namespace}"` : '';
      throw new CommandError(`${resource} "${name}" not found${where}`, { cause: err });
    }
    const events = await eventsAbout(hub, obj);
    return resource === 'clusters'
      ? describeCluster(obj, events, context)
      : describeBinding(obj as ResourceBinding, events, context);
  });
  process.stdout.write(text);
  return 0;
}

/**
 * The Events whose involvedObject is `obj`: those of its namespace (`default` for cluster-scoped
 * objects, where the hub's recorder puts them) selected by kind and name, and kept only if they
 * name its UID when they carry one (an older object of the same name had its own).
 */
async function eventsAbout(hub: Hub, obj: KubeObject): Promise<CoreEvent[]> {
  const namespace = obj.metadata.namespace ?? 'default';
  const fieldSelector = `involvedObject.kind=${obj.kind},involvedObject.name=${obj.metadata.name ?? ''}`;
  const list = await hub.client.list<CoreEvent>(
    { ...EVENTS, namespace },
    { fieldSelector, signal: hub.signal },
  );
  return list.items.filter((e) => {
    const uid = e.involvedObject?.uid;
    return !uid || !obj.metadata.uid || uid === obj.metadata.uid;
  });
}
