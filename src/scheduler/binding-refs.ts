/**
 * Where bindings and clusters live on the hub and how the scheduler names a binding in its queue
 * (`rb/<namespace>/<name>` or `crb//<name>`): shared with the controllers through
 * client/flotilla-resources.ts.
 */
export {
  CLUSTERS,
  CLUSTER_RESOURCE_BINDINGS,
  RESOURCE_BINDINGS,
  bindingOfKey,
  keyOf,
  refOf,
} from '../client/flotilla-resources.js';
