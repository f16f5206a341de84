import type { ChatBotCommand, SimplexClient } from '../../simplex';

/** One row of the command menu as the config dialog edits it; rows with the same `menu` form a sub-menu. */
export interface MenuRow {
  keyword: string;
  label?: string;
  params?: string;
  menu?: string;
}

/** The start-up actions a `simplex-cli` node runs on every (re)connect. Each compares first and writes only changes. */
export interface StartupSettings {
  /** Create the bot's address when it has none, and keep its settings as below. */
  ensureAddress: boolean;
  autoAccept: boolean;
  welcome: string;
  businessAddress: boolean;
  /** Keep the bot profile as below (peer type bot, files, command menu, display name). */
  syncProfile: boolean;
  /** Empty: keep the CLI's name. */
  displayName: string;
  allowFiles: boolean;
  menu: MenuRow[];
  autoJoinGroups: boolean;
}

/** The command menu of the profile from the dialog's rows, in their order. */
export function menuFromRows(rows: readonly MenuRow[]): ChatBotCommand[] {
  const out: ChatBotCommand[] = [];
  const menus = new Map<string, ChatBotCommand[]>();
  for (const row of rows) {
    const keyword = String(row.keyword ?? '')
      .trim()
      .replace(/^\//, '');
    if (!keyword) continue;
    const command: ChatBotCommand = { type: 'command', keyword, label: String(row.label ?? '').trim() || keyword };
    const params = String(row.params ?? '').trim();
    if (params) command.params = params;
    const menu = String(row.menu ?? '').trim();
    if (!menu) {
      out.push(command);
      continue;
    }
    let list = menus.get(menu);
    if (!list) {
      list = [];
      menus.set(menu, list);
      out.push({ type: 'menu', label: menu, commands: list });
    }
    list.push(command);
  }
  return out;
}

/** Runs the start-up actions; resolves with the bot's address when one is kept. Throws the first failure. */
export async function runStartup(client: SimplexClient, settings: StartupSettings): Promise<string | undefined> {
  let address: string | undefined;
  if (settings.ensureAddress) {
    const info = await client.ensureAddress({
      autoAccept: settings.autoAccept,
      welcome: settings.welcome,
      businessAddress: settings.businessAddress,
    });
    address = info.link;
  }
  if (settings.syncProfile) {
    await client.ensureProfile({
      ...(settings.displayName.trim() ? { displayName: settings.displayName.trim() } : {}),
      peerType: 'bot',
      allowFiles: settings.allowFiles,
      commands: menuFromRows(settings.menu),
    });
  }
  if (settings.autoJoinGroups) await client.setAutoAcceptGroupInvitations(true);
  return address;
}
