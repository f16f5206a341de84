// The JSON the emulator's control API answers to the phone page (see control-view.ts for the server side), and the
// shapes the SimpleX service turns its answers into, so one set of renderers draws both.
import type { ChatService } from './service.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Account {
  accountId: string;
  accountName: string;
  role: 'bot' | 'user';
}

/** A chat: semilimes names it by its people, group chat or channel; SimpleX by its CLI reference (`@3`, `#2`). */
export type ChatFilter =
  { between: [string, string] } | { groupChatId: string } | { channelId: string } | { simplexChat: string };
export type FeatureType = 'p2p' | 'groupchat' | 'channel';

export interface ChatPreview {
  featureType: FeatureType;
  title: string;
  chat: ChatFilter;
  canPost: boolean;
  messageCount: number;
  last: { publisherName: string; preview: string; publishedOn: number } | null;
  /** The other side is a bot (its avatar says so). */
  bot?: boolean;
  /** SimpleX: a group one is invited to and has not joined yet, with who invited. */
  invitedBy?: string;
  /** SimpleX: a contact whose connection is not ready yet. */
  connecting?: boolean;
}

export interface FileInfo {
  fileId: string;
  title: string;
  size: number;
  contentType: string;
}

export interface ChannelInfo {
  channelId: string;
  title: string;
  avatar: string | null;
  ownerName: string;
  subscriberCount: number;
  role: string | null;
}

export interface TunnelInfo {
  tunnelId: string;
  name: string;
  description: string;
  tunnelUrl: string | null;
}

export interface BucketInfo {
  bucketId: string;
  title: string;
  description: string;
  avatar: string | null;
  ownerName: string;
  enableReactions: boolean;
  likeCount: number;
  dataComponents: JsonObject[];
}

export interface References {
  accounts: Record<string, string>;
  files: Record<string, FileInfo>;
  channels: Record<string, ChannelInfo>;
  tunnels: Record<string, TunnelInfo>;
  buckets: Record<string, BucketInfo>;
}

export interface SubmissionInfo {
  submitterId: string;
  submitterName: string;
  publishedOn: number;
  values: Record<string, Json>;
}

export interface FormState {
  last: SubmissionInfo | null;
  mine: SubmissionInfo | null;
}

export interface Message {
  messageId: string;
  publisherId: string;
  publisherName: string;
  publishedOn: number;
  updatedOn: number;
  edited: boolean;
  dataComponent: JsonObject;
  messageReactions: Record<string, string[]>;
  replyTo: { messageId: string; publisherId: string; publisherName: string; preview: string } | null;
  formState?: FormState;
  hidden: boolean;
  /** Deleted by its sender: shown as a marked-deleted bubble. */
  deleted?: boolean;
  /** An event of the chat itself (encryption, a member joined), shown as a centred note, not a bubble. */
  service?: boolean;
}

export interface Conversation {
  featureType: FeatureType;
  title: string;
  subtitle: string;
  canPost: boolean;
  typing: string[];
  messages: Message[];
  references: References;
}

/** What every renderer needs to know about where it draws. */
export interface Viewer {
  me: string;
  chat: ChatPreview;
  references: References;
  /** The viewer's chats, for the contact and bucket pickers and for opening a referenced chat. */
  chats: ChatPreview[];
  accounts: Account[];
  /** The service the chat belongs to: reactions, files and actions go through it. */
  service: ChatService;
}

/** Reads a string field of a component, or a fallback. */
export function str(obj: JsonObject, field: string, fallback = ''): string {
  const v = obj[field];
  return typeof v === 'string' ? v : fallback;
}

export function num(obj: JsonObject, field: string, fallback: number): number {
  const v = obj[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function bool(obj: JsonObject, field: string, fallback: boolean): boolean {
  const v = obj[field];
  return typeof v === 'boolean' ? v : fallback;
}

export function objects(v: Json | undefined): JsonObject[] {
  return Array.isArray(v)
    ? v.filter((x): x is JsonObject => typeof x === 'object' && x !== null && !Array.isArray(x))
    : [];
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What renderers may ask the page to do. */
export interface PageActions {
  openChat(chat: ChatFilter): void;
  refresh(): void;
  toast(text: string): void;
}

export type RenderContext = Viewer & PageActions;
