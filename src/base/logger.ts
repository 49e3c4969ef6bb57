/**
 * The logging seam. pino satisfies it; only src/cmd builds a pino instance. Messages are constant
 * strings; data goes in the first argument: `log.info({ cluster }, 'cluster became ready')`.
 */
export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  child(bindings: object): Logger;
}

/** A logger that drops everything; the default in tests. */
export const noopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => noopLogger,
};
