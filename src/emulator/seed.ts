// Initial data: 'demo' (a bot, Alice and Bob, a group chat and a channel, with fixed ids) or 'empty'.
import { Store } from './store';

export type SeedName = 'demo' | 'empty';

/** Fixed ids of the demo seed, so examples, tests and docs can name them. */
export const DEMO_IDS = {
  bot: '5e1f0000-0000-4000-8000-000000000001',
  alice: '5e1f0000-0000-4000-8000-000000000002',
  bob: '5e1f0000-0000-4000-8000-000000000003',
  familyGroupChat: '6c000000-0000-4000-8000-000000000001',
  homeNewsChannel: 'c4000000-0000-4000-8000-000000000001',
  botLlm: '11000000-0000-4000-8000-000000000001',
  /** A small PNG uploaded by the bot, used as the avatar of "Home news". */
  homeNewsAvatarFile: 'f1000000-0000-4000-8000-000000000001',
} as const;

/** The ids a demo seed uses; a test can seed other ones, so that an id hard-coded in a flow shows up as "not found". */
export type DemoIds = { readonly [K in keyof typeof DEMO_IDS]: string };

/** A 1x1 green PNG. */
const AVATAR_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export function seedDemo(store: Store, apiKeys: Record<string, string> = {}, ids: DemoIds = DEMO_IDS): void {
  const people = [
    { accountId: ids.bot, name: 'Node-RED Bot', role: 'bot' as const },
    { accountId: ids.alice, name: 'Alice', role: 'user' as const },
    { accountId: ids.bob, name: 'Bob', role: 'user' as const },
  ];
  for (const p of people) {
    store.addAccount(p.name, { accountId: p.accountId, role: p.role });
    store.issueKey(p.accountId, { key: apiKeys[p.accountId] });
  }
  store.setContact(ids.bot, ids.alice, 'CONFIRMED');
  store.setContact(ids.bot, ids.bob, 'CONFIRMED');
  store.setContact(ids.alice, ids.bob, 'CONFIRMED');
  store.groupChats.set(ids.familyGroupChat, {
    groupChatId: ids.familyGroupChat,
    title: 'Family',
    ownerId: ids.bot,
    memberIds: [ids.bot, ids.alice, ids.bob],
  });
  store.files.set(ids.homeNewsAvatarFile, {
    fileId: ids.homeNewsAvatarFile,
    ownerId: ids.bot,
    title: 'home-news.png',
    size: AVATAR_PNG.length,
    contentType: 'image/png',
    bytes: AVATAR_PNG,
  });
  store.channels.set(ids.homeNewsChannel, {
    channelId: ids.homeNewsChannel,
    title: 'Home news',
    avatar: ids.homeNewsAvatarFile,
    visible: true,
    locked: false,
    ownerId: ids.bot,
    // Alice and Bob may post too, so people can write in a channel as well as read it.
    editorIds: [ids.alice, ids.bob],
    subscriberIds: [ids.alice, ids.bob],
  });
  store.llms.set(ids.bot, [{ id: ids.botLlm, autoResponse: false }]);
}

export function applySeed(store: Store, seed: SeedName, apiKeys?: Record<string, string>, ids?: DemoIds): void {
  if (seed === 'demo') seedDemo(store, apiKeys, ids);
}
