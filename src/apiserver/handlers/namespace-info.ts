import { builtinResources } from '../../api/builtin-resources.js';
import type { ResourceInfo } from '../../api/resource-info.js';
import { invariant } from '../../base/errors.js';

const ns = builtinResources().find((r) => r.group === '' && r.plural === 'namespaces');
invariant(ns, 'namespaces must be a built-in resource');

/** The Namespace resource, for namespace existence checks by other resources' writes. */
export const namespaceResource: ResourceInfo = ns;
