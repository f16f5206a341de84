// Service endpoints: tunnels, file upload / download, LLM list. REST only (no WebSocket section documented).
import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '../envelope';
import { Tunnel } from '../store';
import { bodyObject, optInt, optString, reqString } from '../validate';
import { ApiContext, RawReply, Route } from './context';

/** Placeholder tunnel provider values: the emulator opens no real tunnel. */
const TUNNEL_HOST = 'tunnel.emulator.invalid';
const FIRST_TUNNEL_PORT = 20000;

function tunnelView(tunnel: Tunnel) {
  return {
    tunnelId: tunnel.tunnelId,
    name: tunnel.name,
    description: tunnel.description,
    clientPort: tunnel.clientPort,
    clientPath: tunnel.clientPath,
    publicKey: tunnel.publicKey,
    // "host, username and port won't be set if the tunnel is not opened"
    host: tunnel.open?.host ?? null,
    username: tunnel.open?.username ?? null,
    port: tunnel.open?.port ?? null,
    tunnelUrl: tunnel.open?.tunnelUrl ?? null,
  };
}

function myTunnel(ctx: ApiContext): Tunnel {
  const tunnelId = reqString(bodyObject(ctx.body), 'tunnelId');
  const tunnel = ctx.core.store.tunnels.get(tunnelId);
  if (!tunnel || tunnel.ownerId !== ctx.account.accountId) throw notFound(`tunnel ${tunnelId} not found`);
  return tunnel;
}

function listTunnels(ctx: ApiContext) {
  return [...ctx.core.store.tunnels.values()].filter((t) => t.ownerId === ctx.account.accountId).map(tunnelView);
}

function createTunnel(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const clientPort = optInt(body, 'clientPort', 1, 65535);
  if (clientPort === undefined) throw badRequest('body.clientPort is required');
  const tunnel: Tunnel = {
    tunnelId: randomUUID(),
    ownerId: ctx.account.accountId,
    name: reqString(body, 'name'),
    description: optString(body, 'description') ?? '',
    clientPort,
    clientPath: optString(body, 'clientPath') ?? '',
    publicKey: reqString(body, 'publicKey'),
    open: null,
  };
  ctx.core.store.tunnels.set(tunnel.tunnelId, tunnel);
  return { tunnelId: tunnel.tunnelId };
}

function openTunnel(ctx: ApiContext) {
  const tunnel = myTunnel(ctx);
  if (!tunnel.open) {
    const openCount = [...ctx.core.store.tunnels.values()].filter((t) => t.open).length;
    const short = tunnel.tunnelId.slice(0, 8);
    tunnel.open = {
      host: TUNNEL_HOST,
      username: `emu-${short}`,
      port: FIRST_TUNNEL_PORT + openCount,
      tunnelUrl: `https://${short}.${TUNNEL_HOST}/${tunnel.clientPath.replace(/^\//, '')}`,
    };
  }
  return { tunnelId: tunnel.tunnelId, ...tunnel.open };
}

function closeTunnel(ctx: ApiContext) {
  myTunnel(ctx).open = null;
  return {};
}

function deleteTunnel(ctx: ApiContext) {
  ctx.core.store.tunnels.delete(myTunnel(ctx).tunnelId);
  return {};
}

function upload(ctx: ApiContext) {
  const files = ctx.files.filter((f) => f.field === 'httpFiles');
  if (files.length === 0) throw badRequest('no file in the multipart field "httpFiles"');
  const uploadedFiles = files.map((f) => {
    const fileId = randomUUID();
    ctx.core.store.files.set(fileId, {
      fileId,
      ownerId: ctx.account.accountId,
      title: f.filename,
      size: f.bytes.length,
      contentType: f.contentType,
      bytes: f.bytes,
    });
    return { fileId, title: f.filename, size: f.bytes.length };
  });
  return { uploadedFiles };
}

/** Raw bytes with the stored content type; thumbnailSize is accepted and ignored (no image scaling). */
function download(ctx: ApiContext) {
  const body = bodyObject(ctx.body);
  const fileId = reqString(body, 'fileId');
  optInt(body, 'thumbnailSize', 1, 100000);
  const file = ctx.core.store.files.get(fileId);
  if (!file) throw notFound(`file ${fileId} not found`);
  return new RawReply(file.contentType, file.bytes, file.title);
}

function llms(ctx: ApiContext) {
  return { llms: (ctx.core.store.llms.get(ctx.account.accountId) ?? []).map((l) => ({ ...l })) };
}

export const serviceRoutes: Route[] = [
  { method: 'GET', path: '/service/tunnel', ws: false, body: 'none', handler: listTunnels },
  { method: 'POST', path: '/service/tunnel/create', ws: false, body: 'json', handler: createTunnel },
  { method: 'POST', path: '/service/tunnel/open', ws: false, body: 'json', handler: openTunnel },
  { method: 'POST', path: '/service/tunnel/close', ws: false, body: 'json', handler: closeTunnel },
  { method: 'POST', path: '/service/tunnel/delete', ws: false, body: 'json', handler: deleteTunnel },
  { method: 'POST', path: '/service/file/download', ws: false, body: 'json', handler: download },
  { method: 'POST', path: '/service/file/upload', ws: false, body: 'multipart', handler: upload },
  { method: 'GET', path: '/service/llms', ws: false, body: 'none', handler: llms },
];
