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

/** A 1x1 green PNG. */
const AVATAR_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

export function seedDemo(store: Store, apiKeys: Record<string, string> = {}): void {
  const people = [
    { accountId: DEMO_IDS.bot, name: 'Node-RED Bot', role: 'bot' as const },
    { accountId: DEMO_IDS.alice, name: 'Alice', role: 'user' as const },
    { accountId: DEMO_IDS.bob, name: 'Bob', role: 'user' as const },
  ];
  for (const p of people) {
    store.addAccount(p.name, { accountId: p.accountId, role: p.role });
    store.issueKey(p.accountId, { key: apiKeys[p.accountId] });
  }
  store.setContact(DEMO_IDS.bot, DEMO_IDS.alice, 'CONFIRMED');
  store.setContact(DEMO_IDS.bot, DEMO_IDS.bob, 'CONFIRMED');
  store.setContact(DEMO_IDS.alice, DEMO_IDS.bob, 'CONFIRMED');
  store.groupChats.set(DEMO_IDS.familyGroupChat, {
    groupChatId: DEMO_IDS.familyGroupChat,
    title: 'Family',
    ownerId: DEMO_IDS.bot,
    memberIds: [DEMO_IDS.bot, DEMO_IDS.alice, DEMO_IDS.bob],
  });
  store.files.set(DEMO_IDS.homeNewsAvatarFile, {
    fileId: DEMO_IDS.homeNewsAvatarFile,
    ownerId: DEMO_IDS.bot,
    title: 'home-news.png',
    size: AVATAR_PNG.length,
    contentType: 'image/png',
    bytes: AVATAR_PNG,
  });
  store.channels.set(DEMO_IDS.homeNewsChannel, {
    channelId: DEMO_IDS.homeNewsChannel,
    title: 'Home news',
    avatar: DEMO_IDS.homeNewsAvatarFile,
    visible: true,
    locked: false,
    ownerId: DEMO_IDS.bot,
    editorIds: [],
    subscriberIds: [DEMO_IDS.alice, DEMO_IDS.bob],
  });
  store.llms.set(DEMO_IDS.bot, [{ id: DEMO_IDS.botLlm, autoResponse: false }]);
}

export function applySeed(store: Store, seed: SeedName, apiKeys?: Record<string, string>): void {
  if (seed === 'demo') seedDemo(store, apiKeys);
}
