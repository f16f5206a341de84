// Service endpoints: tunnels, file upload / download, LLM list. REST only (no WebSocket section documented).
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { badRequest, notFound } from '../envelope';
import { Tunnel } from '../store';
import { bodyObject, optInt, optString, reqString } from '../validate';
import { ApiContext, RawReply, Route } from './context';

/** Placeholder tunnel provider values, when the emulator was given no real SSH server (tunnelSsh). */
const TUNNEL_HOST = 'tunnel.emulator.invalid';
const FIRST_TUNNEL_PORT = 20000;

/** Options the SSH server applies to a tunnel key: remote port forwarding only (no shell, pty, agent, X11). */
const KEY_RESTRICTIONS = 'restrict,port-forwarding';

/**
 * Writes every tunnel's public key to the SSH server's authorized keys file, so exactly the keys that "create"
 * received (and that were not deleted) may log in.
 */
function writeAuthorizedKeys(ctx: ApiContext): void {
  const file = ctx.core.tunnelSsh?.authorizedKeysFile;
  if (!file) return;
  const lines = [...ctx.core.store.tunnels.values()]
    .map((t) => t.publicKey.trim())
    .filter((key) => /^ssh-[\w-]+ [A-Za-z0-9+/=]+( .*)?$/.test(key) && !key.includes('\n'))
    .map((key) => `${KEY_RESTRICTIONS} ${key}`);
  writeFileSync(file, lines.length ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
}

/** A port nothing listens on right now, for the SSH server to listen on when the client forwards it. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

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
  writeAuthorizedKeys(ctx);
  return { tunnelId: tunnel.tunnelId };
}

async function openTunnel(ctx: ApiContext) {
  const tunnel = myTunnel(ctx);
  const ssh = ctx.core.tunnelSsh;
  if (!tunnel.open && ssh) {
    // The SSH server is the tunnel provider: the forwarded port on it is the tunnel's public address.
    const port = await freePort(ssh.host);
    tunnel.open = {
      host: ssh.host,
      username: ssh.username,
      port,
      tunnelUrl: `http://${ssh.host}:${port}/${tunnel.clientPath.replace(/^\//, '')}`,
    };
  } else if (!tunnel.open) {
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
  writeAuthorizedKeys(ctx);
  return {};
}

function upload(ctx: ApiContext) {
  const files = ctx.files.filter((f) => f.field === 'httpFiles');
  // Files in other fields are not kept: remove their content from disk.
  for (const f of ctx.files) if (f.field !== 'httpFiles' && f.path) rmSync(f.path, { force: true });
  if (files.length === 0) throw badRequest('no file in the multipart field "httpFiles"');
  const uploadedFiles = files.map((f) => {
    const fileId = randomUUID();
    ctx.core.store.files.set(fileId, {
      fileId,
      ownerId: ctx.account.accountId,
      title: f.filename,
      size: f.size,
      contentType: f.contentType,
      bytes: f.bytes,
      path: f.path,
    });
    return { fileId, title: f.filename, size: f.size };
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
  const content = file.path ? { path: file.path, size: file.size } : (file.bytes ?? Buffer.alloc(0));
  return new RawReply(file.contentType, content, file.title);
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
