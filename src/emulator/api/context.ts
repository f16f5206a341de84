// What an endpoint handler receives and may return, independent of the transport (REST or WebSocket).
import { Core } from '../core';
import { Transport } from '../faults';
import { Account, ApiKeyRecord } from '../store';
import { Params } from '../validate';

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** The content, when files are kept in memory (the default). */
  bytes?: Buffer;
  /** The file holding the content, when the emulator was started with a files directory. */
  path?: string;
}

export interface ApiContext {
  core: Core;
  account: Account;
  apiKey: ApiKeyRecord;
  /** URL query parameters (REST) or the frame's "parameters" object (WebSocket). */
  query: Params;
  /** The parsed JSON body (REST) or the frame's "body" object (WebSocket); null when absent. */
  body: unknown;
  /** multipart/form-data files (REST uploads only). */
  files: UploadedFile[];
  /** Values of {placeholders} in the route path, e.g. key_id. */
  pathParams: Record<string, string>;
  transport: Transport;
}

/** A non-JSON answer (file download): raw bytes with their content type instead of the envelope. */
export class RawReply {
  constructor(
    readonly contentType: string,
    /** The bytes, or a file on disk with its size (streamed, never read whole). */
    readonly content: Buffer | { path: string; size: number },
    readonly filename: string,
  ) {}
}

export type Handler = (ctx: ApiContext) => unknown;

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path as documented; a segment like {key_id} matches any value. */
  path: string;
  /** Whether the documentation gives this endpoint a WebSocket section. */
  ws: boolean;
  /** How the REST transport reads the request body. */
  body: 'json' | 'multipart' | 'none';
  handler: Handler;
}
