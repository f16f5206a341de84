'use strict';
// Summarises a V8 CPU profile (node --cpu-prof): self time per function and per file, top entries, so that a
// profile of the bench's Node-RED process says where the time goes. Usage: node bench/profile.js FILE [TOP]
const fs = require('node:fs');
const path = require('node:path');

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node bench/profile.js FILE.cpuprofile [TOP]\n');
  process.exit(2);
}
const top = Number(topArg) || 25;
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
// timeDeltas[i] is the time before samples[i]: attribute it to that sample's node.
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) || 0) + (profile.timeDeltas[i] || 0));
}
const root = path.resolve(__dirname, '..');
const where = (cf) => {
  const url = (cf.url || '').replace(/^file:\/\//, '');
  if (!url) return '(native)';
  const rel = url.startsWith(root) ? path.relative(root, url) : url;
  return rel.replace(/^.*node_modules\//, 'node_modules/');
};
const perFunction = new Map();
const perFile = new Map();
let total = 0;
let idle = 0;
for (const [id, us] of selfUs) {
  const cf = byId.get(id).callFrame;
  total += us;
  if (cf.functionName === '(idle)' || cf.functionName === '(program)') {
    idle += cf.functionName === '(idle)' ? us : 0;
  }
  const key = `${cf.functionName || '(anonymous)'}  ${where(cf)}:${cf.lineNumber + 1}`;
  perFunction.set(key, (perFunction.get(key) || 0) + us);
  if (cf.functionName === '(idle)' || cf.functionName === '(program)') continue;
  const f = where(cf).replace(/^node_modules\/((@[^/]+\/)?[^/]+).*$/, 'node_modules/$1');
  perFile.set(f, (perFile.get(f) || 0) + us);
}
const busy = total - idle;
const show = (title, map) => {
  process.stdout.write(`${title} (share of busy time ${(busy / 1000).toFixed(0)} ms)\n`);
  const rows = [...map]
    .filter(([k]) => !k.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [k, us] of rows) process.stdout.write(`${((100 * us) / busy).toFixed(1).padStart(5)} %  ${k}\n`);
};
show('self time per function', perFunction);
process.stdout.write('\n');
show('self time per file or package', perFile);
