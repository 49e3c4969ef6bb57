import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { Store } from '../storage/store.js';
import type { AdmissionPlugin } from './admission.js';
import type { NamespaceCache } from './namespace-cache.js';
import type { ResourceRegistry } from './registry.js';

/** Everything a handler needs, built once per server. */
export interface ServerContext {
  readonly store: Store;
  readonly registry: ResourceRegistry;
  readonly clock: Clock;
  readonly log: Logger;
  /** Watches without `timeoutSeconds` end after this × random[1, 2) seconds (kube's --min-request-timeout). */
  readonly minRequestTimeoutSeconds: number;
  /** Existing namespaces and their phase (for NamespaceLifecycle admission). */
  readonly namespaces: NamespaceCache;
  /** Mutating admission of this server's profile (none on the hub today). */
  readonly admission: readonly AdmissionPlugin[];
}

/** Per-request options shared by the write paths. */
export interface WriteOptions {
  dryRun: boolean;
  /** Field manager recorded in managedFields. */
  manager: string;
  /** Whether the client named the manager (`fieldManager`), which apply requires. */
  explicitManager: boolean;
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
  /** Collected `Warning` header texts. */
  warnings: string[];
}
