import { SemilimesClient, type ClientOptions, type PacingOptions } from '../../semilimes';
import type { NodeAPI } from './node-red';

/** Test and benchmark hooks: shorter timers than a person would want in production. */
const TUNING_SETTING = 'semilimesClientOptions';

export interface AccountClientOptions {
  apiKey: string;
  baseUrl: string;
  /** Deliver messages published while the connection was down (false only when the account says so). */
  catchUp: boolean;
  /** Prefix of the account's log lines, e.g. "[semilimes-account:home]". */
  label: string;
  /** Pacing of outgoing messages, from the account's settings. */
  pacing: PacingOptions;
}

/** The client of one account node: the runtime's tuning, the account's settings, Node-RED's log. */
export function createAccountClient(RED: NodeAPI, options: AccountClientOptions): SemilimesClient {
  const settings = RED.settings as unknown as Record<string, unknown>;
  const tuning = (settings[TUNING_SETTING] ?? {}) as Partial<ClientOptions>;
  const { label } = options;
  return new SemilimesClient({
    ...tuning,
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    catchUp: options.catchUp ? (tuning.catchUp ?? true) : false,
    pacing: { ...options.pacing, ...tuning.pacing },
    logger: {
      debug: (m) => RED.log.debug(`${label} ${m}`),
      info: (m) => RED.log.info(`${label} ${m}`),
      warn: (m) => RED.log.warn(`${label} ${m}`),
      error: (m) => RED.log.error(`${label} ${m}`),
    },
  });
}
