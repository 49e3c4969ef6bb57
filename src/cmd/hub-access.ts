/**
 * How the fleet commands (get, describe, cordon, taint) reach the hub: its kubeconfig (default
 * `.flotilla/kubeconfig`, its current context), one deadline for the whole command, and one-line
 * failures — an unusable kubeconfig is bad usage (exit 2), a hub that does not answer or refuses
 * is a `CommandError` (exit 1). Also the one place that decides whether output is coloured.
 */
import { join } from 'node:path';
import { StatusError } from '../api/status.js';
import { ApiClient } from '../client/api-client.js';
import { HttpsTransport } from '../client/https-transport.js';
import { KubeconfigError, kubeconfigTransport } from '../client/kubeconfig.js';
import { CommandError, UsageError } from './flags.js';

/** The hub kubeconfig the commands read unless `--kubeconfig` says otherwise. */
export const DEFAULT_HUB_KUBECONFIG = join('.flotilla', 'kubeconfig');

/** How long a command may wait for the hub, in all. */
const HUB_DEADLINE_MS = 30_000;

/** `--kubeconfig` and `--context` for `util.parseArgs`. */
export const HUB_OPTIONS = {
  kubeconfig: { type: 'string', default: DEFAULT_HUB_KUBECONFIG },
  context: { type: 'string' },
} as const;

/** The hub's help lines for the flags in `HUB_OPTIONS`. */
export const HUB_OPTIONS_HELP = `  --kubeconfig FILE     the hub's kubeconfig (default ${DEFAULT_HUB_KUBECONFIG})
  --context NAME        its context (default: the current one)
`;

/** A client for the hub, and what to call it in messages. */
export interface Hub {
  client: ApiClient;
  server: string;
  /** Aborts when the command's time with the hub is up. */
  signal: AbortSignal;
}

/** The hub `context` of `kubeconfig` names; an unusable kubeconfig is a `UsageError`. */
export async function openHub(kubeconfig: string, context: string | undefined): Promise<Hub> {
  try {
    const options = await kubeconfigTransport(kubeconfig, context);
    return {
      client: new ApiClient(new HttpsTransport(options)),
      server: options.server,
      signal: AbortSignal.timeout(HUB_DEADLINE_MS),
    };
  } catch (err) {
    if (err instanceof KubeconfigError) throw new UsageError(`hub kubeconfig: ${err.message}`);
    throw err;
  }
}

/**
 * Runs `fn` against `hub`: usage and command errors pass through; the hub's refusals and network
 * failures become a one-line `CommandError`.
 */
export async function withHub<T>(hub: Hub, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UsageError || err instanceof CommandError) throw err;
    if (err instanceof StatusError) throw new CommandError(`the hub refused: ${err.message}`, { cause: err });
    if (hub.signal.aborted)
      throw new CommandError(`the hub at ${hub.server} did not answer within ${HUB_DEADLINE_MS / 1000} s`, {
        cause: err,
      });
    throw new CommandError(`cannot reach the hub at ${hub.server}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Colour stdout only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colourStdout(): boolean {
  return process.stdout.isTTY && !process.env['NO_COLOR'];
}
