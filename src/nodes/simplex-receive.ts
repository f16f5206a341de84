import type { ChatResponse, InboundItem } from '../simplex';
import { NodeHarness } from './lib/harness';
import type { Node, NodeAPI, NodeDef, NodeMessage, FlowMessage, NodeConstructor } from './lib/node-red';
import type { SimplexCliNode } from './lib/simplex-cli-node';
import {
  inboundOfEvent,
  inboundOfNewItem,
  passes,
  splitList,
  type AllowLists,
  type Inbound,
  type InboundFilter,
} from './lib/simplex-inbound';
import { evaluateTypedInput } from './lib/typed-input';

interface ReceiveDef extends NodeDef {
  cli: string;
  messages?: boolean;
  contacts?: boolean;
  reactions?: boolean;
  edits?: boolean;
  deletions?: boolean;
  direct?: boolean;
  groups?: boolean;
  contentTypes?: string;
  allowContacts?: string;
  allowContactsType?: string;
  allowGroups?: string;
  allowGroupsType?: string;
  onlyMentioned?: boolean;
  commandsOnly?: boolean;
  keywords?: string;
  /** Received files: `no` (the offer only), `buffer` (the bytes in msg.payload) or `path` (their path). */
  download?: 'no' | 'buffer' | 'path';
  /** Every event as the CLI sent it, with no filter. */
  raw?: boolean;
}

/** An allow-list typed as text: empty lets anyone through (as when read at run time), else its entries. */
function fixedList(value: string | undefined): string[] | undefined {
  return (value ?? '').trim() ? splitList(value) : undefined;
}

export = function register(RED: NodeAPI) {
  function SimplexReceiveNode(this: Node, def: ReceiveDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const harness = new NodeHarness<SimplexCliNode>(RED, node, { type: 'simplex-receive', config: def.cli });
    const filter: InboundFilter = {
      kinds: {
        message: def.messages !== false,
        contact: def.contacts === true,
        reaction: def.reactions === true,
        edit: def.edits === true,
        deletion: def.deletions === true,
      },
      direct: def.direct !== false,
      group: def.groups !== false,
      contentTypes: splitList(def.contentTypes),
      onlyMentioned: def.onlyMentioned === true,
      commandsOnly: def.commandsOnly === true,
      keywords: splitList(def.keywords),
    };
    const download = def.download === 'buffer' || def.download === 'path' ? def.download : 'no';
    const labels = { received: harness.t('status.received'), file: harness.t('status.file') };
    const cli = harness.connectionOrUndefined;
    if (!cli) return;

    const allowList = async (value: string | undefined, type: string | undefined): Promise<string[] | undefined> => {
      // A typed list left empty lets anyone through; one read from elsewhere is taken as it is (empty: nobody).
      if ((type || 'str') === 'str' && !(value ?? '').trim()) return undefined;
      return splitList(await evaluateTypedInput(RED, node, value, type, {} as FlowMessage));
    };
    const allowLists = async (): Promise<AllowLists> => ({
      contacts: await allowList(def.allowContacts, def.allowContactsType),
      groups: await allowList(def.allowGroups, def.allowGroupsType),
    });

    // Allow-lists typed as plain text (or left empty) are the same for every message: read once, so that a message
    // passes the filters at once, with no promise and no wait.
    const fixedLists: AllowLists | undefined =
      (def.allowContactsType || 'str') === 'str' && (def.allowGroupsType || 'str') === 'str'
        ? { contacts: fixedList(def.allowContacts), groups: fixedList(def.allowGroups) }
        : undefined;

    const failed = (err: Error) => {
      harness.showFailure(err);
      node.error(err);
    };
    // Otherwise events are handled one after the other, so messages keep their order even when an allow-list is read
    // from an asynchronous context store.
    let queue: Promise<void> = Promise.resolve();
    const enqueue = (work: () => Promise<void>) => {
      queue = queue.then(work).catch(failed);
    };
    /** Filters and delivers events in the order they came: at once with fixed allow-lists, else through the queue. */
    const handle = (found: Inbound[]) => {
      if (fixedLists) {
        try {
          for (const inbound of found) if (passes(inbound, filter, fixedLists)) deliver(inbound);
        } catch (err) {
          failed(err as Error);
        }
        return;
      }
      enqueue(async () => {
        const allow = await allowLists();
        for (const inbound of found) if (passes(inbound, filter, allow)) deliver(inbound);
      });
    };

    const deliver = (inbound: Inbound) => {
      const file = inbound.item?.file;
      if (download === 'no' || !file || inbound.kind !== 'message') {
        harness.emit(inbound.msg as NodeMessage, labels.received);
        return;
      }
      // The file comes out once it is on disk; other messages go on meanwhile.
      fetchFile(inbound.item as InboundItem, inbound.msg).then(
        (msg) => harness.emit(msg as NodeMessage, labels.file),
        (err: Error) => {
          harness.showFailure(err);
          node.error(err, inbound.msg);
        },
      );
    };

    const fetchFile = async (item: InboundItem, msg: Record<string, unknown>) => {
      const fileId = item.file?.fileId as number;
      const got = await cli.client().downloadFile(fileId, { read: download === 'buffer' });
      msg.payload = download === 'buffer' ? got.data : got.path;
      msg.filename = got.fileName;
      msg.file = { ...(msg.file as object), path: got.path, status: 'rcvComplete' };
      return msg;
    };

    if (def.raw === true) {
      harness.listen(cli.events, 'event', (resp: ChatResponse) => {
        harness.emit(
          { payload: resp, topic: resp.type, simplex: { event: resp.type } } as NodeMessage,
          labels.received,
        );
      });
      return;
    }
    harness.listen(cli.events, 'item', (item: InboundItem) => {
      const inbound = inboundOfNewItem(item);
      if (inbound) handle([inbound]);
    });
    harness.listen(cli.events, 'event', (resp: ChatResponse) => {
      if (resp.type === 'newChatItems') return;
      const found = inboundOfEvent(resp);
      if (found.length > 0) handle(found);
    });
  }

  RED.nodes.registerType('simplex-receive', SimplexReceiveNode as unknown as NodeConstructor);
};
