/**
 * Follows the ResourceBindings of the `default` namespace on a watch, as the benchmarks that time
 * decisions and propagation do.
 */
import type { ResourceBinding } from '../../src/api/flotilla/binding.js';
import type { ApiClient } from '../../src/client/api-client.js';
import { RESOURCE_BINDINGS } from '../../src/client/flotilla-resources.js';

export interface BindingWatch {
  /** Settles when the watch has ended. */
  done: Promise<void>;
  /** Ends the watch. */
  stop(): void;
}

/** Hands every binding the watch delivers to `onBinding` until it returns true or `stop` is called. */
export async function followBindings(
  client: ApiClient,
  onBinding: (binding: ResourceBinding) => boolean,
): Promise<BindingWatch> {
  const abort = new AbortController();
  const events = await client.watch<ResourceBinding>(
    { ...RESOURCE_BINDINGS, namespace: 'default' },
    { signal: abort.signal },
  );
  const done = (async () => {
    try {
      for await (const e of events) if (onBinding(e.object as ResourceBinding)) abort.abort();
    } catch {
      // the watch ends with the run
    }
  })();
  return { done, stop: () => abort.abort() };
}
