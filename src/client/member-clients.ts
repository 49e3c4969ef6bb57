/**
 * The seam through which hub controllers reach member clusters: a client for a registered
 * Cluster's API server. Implemented in src/members (credentials from the Cluster's Secret) and by
 * tests (in-process members); controllers depend only on this interface.
 */
import type { Cluster } from '../api/flotilla/cluster.js';
import type { ApiClient } from './api-client.js';

export interface MemberClients {
  /**
   * A client for `cluster`'s API server, cached until its endpoint or credentials change. Throws
   * `MemberAccessError` when the cluster names no usable credentials.
   */
  clientFor(cluster: Cluster, signal?: AbortSignal): Promise<ApiClient>;
}

/** The hub cannot build a client for a member (no secretRef, missing Secret, bad kubeconfig). */
export class MemberAccessError extends Error {
  override readonly name = 'MemberAccessError';
}
