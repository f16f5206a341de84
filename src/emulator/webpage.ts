// Serves the phone page: a static HTML shell, its stylesheet and the compiled scripts of ./phone (built from
// src/emulator/phone by scripts/build.js). Nothing external is loaded and nothing inline runs.
import { readdirSync, readFileSync } from 'node:fs';
import { ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

const PHONE_DIR = join(__dirname, 'phone');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Same-origin scripts, styles, images and requests only; no plugins, no frames, no inline script. */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

let assets: Map<string, { type: string; body: Buffer }> | null = null;

/** The page's files, read once: /index.html is also served as / (the address the start banner prints). */
function phoneAssets(): Map<string, { type: string; body: Buffer }> {
  if (assets) return assets;
  const found = new Map<string, { type: string; body: Buffer }>();
  for (const name of readdirSync(PHONE_DIR)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) found.set(`/phone/${name}`, { type, body: readFileSync(join(PHONE_DIR, name)) });
  }
  const index = found.get('/phone/index.html');
  if (index) found.set('/', index);
  assets = found;
  return found;
}

/** Answers a GET for the page or one of its files; false when `path` is not one of them. */
export function servePhonePage(res: ServerResponse, path: string): boolean {
  const asset = phoneAssets().get(path);
  if (!asset) return false;
  res.writeHead(200, {
    'Content-Type': asset.type,
    'Content-Length': asset.body.length,
    'Content-Security-Policy': PAGE_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  res.end(asset.body);
  return true;
}
