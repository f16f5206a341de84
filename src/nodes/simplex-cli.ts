import * as fs from 'node:fs';
import { resolveCliUrl, type SimplexClientOptions } from '../simplex';
import { resolveSecret } from './lib/account';
import type { NodeAPI, NodeDef, NodeConstructor } from './lib/node-red';
import type { SimplexCliNode } from './lib/simplex-cli-node';
import { SimplexConnection } from './lib/simplex-connection';
import { registerSimplexRoutes } from './lib/simplex-routes';
import type { MenuRow } from './lib/simplex-startup';
import { translator, type Translate } from './lib/translate';

interface CliDef extends NodeDef {
  url?: string;
  allowUnencryptedRemote?: boolean;
  /** PEM text, or the path of a PEM file, of a private CA that signed the proxy's certificate. */
  ca?: string;
  filesFolder?: string;
  sharedFolder?: string;
  maxFileMB?: number | string;
  ensureAddress?: boolean;
  autoAccept?: boolean;
  welcome?: string;
  businessAddress?: boolean;
  syncProfile?: boolean;
  displayName?: string;
  allowFiles?: boolean;
  menu?: MenuRow[];
  autoJoinGroups?: boolean;
}

const MAX_FILE_MB = 1024;

/**
 * A text setting as Node-RED hands it over. It replaces `${VAR}` with the variable, but leaves the text as it is when
 * the variable is not set: that counts as empty here (the default), so a shared example works without the variable.
 */
function setting(value: string | undefined): string {
  const text = (value ?? '').trim();
  return /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(text) ? '' : text;
}

/** The client's settings from the node's, or the reason they cannot work. */
function clientOptions(
  def: CliDef,
  credentials: { username?: string; password?: string } | undefined,
  t: Translate,
): { options: SimplexClientOptions; problem?: string } {
  const options: SimplexClientOptions = { url: setting(def.url) || undefined };
  options.allowUnencryptedRemote = def.allowUnencryptedRemote === true;
  const username = resolveSecret(credentials?.username);
  const password = resolveSecret(credentials?.password);
  if (username || password) Object.assign(options, { username, password });
  if (setting(def.filesFolder)) options.filesFolder = setting(def.filesFolder);
  if (setting(def.sharedFolder)) options.sharedFolder = setting(def.sharedFolder);
  const mb = Number(def.maxFileMB);
  if (def.maxFileMB !== undefined && def.maxFileMB !== '') {
    if (!Number.isFinite(mb) || mb <= 0 || mb > MAX_FILE_MB) return { options, problem: t('errors.badMaxFile') };
    options.maxFileBytes = Math.round(mb * 1024 * 1024);
  }
  try {
    resolveCliUrl(options.url, options.allowUnencryptedRemote);
  } catch (err) {
    return { options, problem: (err as Error).message };
  }
  const ca = setting(def.ca);
  if (ca) {
    if (ca.startsWith('-----BEGIN')) options.ca = ca;
    else {
      try {
        options.ca = fs.readFileSync(ca, 'utf8');
      } catch {
        return { options, problem: t('errors.badCa', { path: ca }) };
      }
    }
  }
  return { options };
}

export = function register(RED: NodeAPI) {
  function SimplexCliConfigNode(this: SimplexCliNode, def: CliDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const t = translator(RED, 'simplex-cli');
    const { options, problem } = clientOptions(def, node.credentials, t);
    if (problem) node.warn(problem);
    const connection = new SimplexConnection(
      RED,
      {
        client: options,
        label: `[simplex-cli:${def.name || node.id}]`,
        problem,
        startup: {
          ensureAddress: def.ensureAddress !== false,
          autoAccept: def.autoAccept !== false,
          welcome: def.welcome ?? '',
          businessAddress: def.businessAddress === true,
          syncProfile: def.syncProfile !== false,
          displayName: def.displayName ?? '',
          allowFiles: def.allowFiles !== false,
          menu: Array.isArray(def.menu) ? def.menu : [],
          autoJoinGroups: def.autoJoinGroups !== false,
        },
      },
      t,
      (text) => node.warn(text),
    );
    let url = options.url || 'ws://127.0.0.1:5225';
    try {
      url = resolveCliUrl(options.url, true).url;
    } catch {
      // The problem is already shown. The address as typed may hold a user name and password (the editor reads this
      // back), so only what can be shown without them stays.
      url = withoutCredentials(url);
    }
    Object.assign(node, {
      events: connection.events,
      url,
      problem,
      startup: connection.startup,
      client: () => connection.client(),
      register: (user) => connection.register(user),
      deregister: (user) => connection.deregister(user),
    } satisfies Partial<SimplexCliNode>);
    node.on('close', (done: () => void) => {
      connection.close().then(done, done);
    });
  }

  RED.nodes.registerType('simplex-cli', SimplexCliConfigNode as unknown as NodeConstructor, {
    credentials: { username: { type: 'text' }, password: { type: 'password' } },
  });
  registerSimplexRoutes(RED);
};

/** An address with any user name and password taken out; one that cannot be read is not shown at all. */
function withoutCredentials(address: string): string {
  try {
    const parsed = new URL(address);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '';
  }
}
