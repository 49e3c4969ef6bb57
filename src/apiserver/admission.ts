/**
 * Mutating admission plugins: server-side steps a profile adds to every create and update of
 * the kinds it cares about (a member cluster allocates Service ClusterIPs, adds default
 * tolerations to pods, …). They run after the server-owned metadata is set and before
 * validation, as kube-apiserver's mutating admission does, and may change the object or throw a
 * `StatusError` to refuse the write. They run again when a write is retried after a lost race.
 */
import type { KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resource-info.js';

/** What is being written. `object` is the plugin's to change. */
export interface AdmissionAttributes {
  readonly operation: 'CREATE' | 'UPDATE';
  readonly info: ResourceInfo;
  readonly object: KubeObject;
  /** The stored object an update replaces. */
  readonly old?: KubeObject;
  /** A dry run: the plugin must not commit side effects (such as reserving an address). */
  readonly dryRun: boolean;
}

/** One mutating admission step. */
export interface AdmissionPlugin {
  readonly name: string;
  /** True for the kinds the plugin looks at (checked before `admit`). */
  handles(info: ResourceInfo): boolean;
  admit(attributes: AdmissionAttributes): void;
}

/** Runs every plugin that handles the kind, in order. */
export function runAdmission(plugins: readonly AdmissionPlugin[], attributes: AdmissionAttributes): void {
  for (const plugin of plugins) if (plugin.handles(attributes.info)) plugin.admit(attributes);
}
