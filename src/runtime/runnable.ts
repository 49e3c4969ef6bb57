/** A long-lived component: `start` runs until `signal` aborts, and rejects only on a fatal error. */
export interface Runnable {
  start(signal: AbortSignal): Promise<void>;
}
