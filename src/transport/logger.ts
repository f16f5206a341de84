/**
 * Where a client reports what it does. A Node-RED config node passes its own log; plain users may omit it.
 * No Node-RED types here: any object with these four methods works.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const SILENT_LOGGER: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
