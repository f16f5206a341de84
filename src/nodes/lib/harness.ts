/**
 * The node harness: the one place where a node meets Node-RED and its connection.
 *
 * ```ts
 * const harness = new NodeHarness<AccountNode>(RED, node, { type: 'semilimes-send', config: def.account });
 * harness.onInput(async (msg, { note, t }) => {
 *   const messageId = String(msg.messageId);
 *   note({ messageId }); // named in the error if a close cuts the update short
 *   const result = await harness.connection().client().update('p2p', messageId, String(msg.payload));
 *   msg.payload = result.data;
 *   return { msg, status: t('status.updated') };
 * });
 * ```
 *
 * - Attach: `config` is the id of the connection config node in the node's settings. The harness registers a
 *   {@link ConnectionUser} whose connection changes and key expiry go to the node's status, and deregisters it on
 *   close. A missing config node shows `status.noAccount` (keys configurable) and fails each input with
 *   `errors.noAccount`. Any config node implementing {@link ConnectionConfigNode} works (semilimes account, SimpleX
 *   CLI).
 * - Input: `onInput(work)` is the node's only input handler. `work(msg, context)` returns a promise of
 *   {@link InputResult}: `msg` to send (null sends nothing) or several `messages`, and the translated status label;
 *   `partFailed` sends them and then fails the input (work done for some destinations, not all). Success: status
 *   "<label> 12:03:04", `send`, `done()`. Failure: red status "<failed>: <short cause>", `done(err)` only (Catch nodes
 *   get it; the runtime logs it when none does). `done` is called exactly once per message.
 * - Close: work still running when the node closes (or when a deploy that will close it starts) ends with
 *   `done(CutShortError)`: `errors.closed`, or `errors.closedWithId` naming the message id the work `note`d. Its
 *   `context.signal` is aborted; nothing is sent afterwards. `onClose(fn)` adds the node's own cleanup, run before the
 *   config node is let go; `listen(emitter, event, fn)` adds a listener removed by reference on close.
 * - Events: `emit(msg, label)` sends what a node produces by itself (received messages) unless it has closed;
 *   `showFailure(err)` shows a problem outside any input; `status` is the node's one {@link StatusView}.
 * - Texts: `t(key)` translates relative to the node type's catalogue. Every catalogue of a node type using the
 *   harness holds {@link HARNESS_KEYS}.
 */
import type { EventEmitter } from 'node:events';
import type { ConnectionConfigNode, ConnectionUser } from './connection-user';
import { CutShortError } from './cut-short';
import { watchDeployStopping } from './deploy-stop';
import { FlowInputError } from './flow-input';
import { InFlight, type WorkFacts } from './in-flight';
import { TrackedListeners } from './listeners';
import type { DoneFn, FlowMessage, Node, NodeAPI, NodeMessage, SendFn, Listener } from './node-red';
import { StatusView } from './status';
import { translator, type Translate } from './translate';

/** Catalogue keys (relative to the node type) the harness uses; every harnessed node type's catalogue has them. */
export const HARNESS_KEYS = ['errors.closed', 'errors.closedWithId', 'status.failed'] as const;
/** Further keys a node type that uses a connection config node needs (unless it names its own). */
export const CONNECTION_KEYS = ['status.noAccount', 'errors.noAccount'] as const;

/** How long a close waits for aborted work to settle (it does within milliseconds) before letting go. */
const ABORT_SETTLE_MS = 1000;

export interface HarnessOptions {
  /** The node type, which is also its catalogue's namespace, e.g. 'semilimes-send'. */
  type: string;
  /**
   * The id of the connection config node from the node's settings (undefined or empty: none selected); leave the key
   * out for node types that use no connection.
   */
  config?: string;
  /** Catalogue keys when the config node is missing (default `status.noAccount` and `errors.noAccount`). */
  missingConfig?: { status: string; error: string };
  /** Label of a failure on the status line (default `status.failed`). */
  failedLabel?: string;
}

export interface InputContext {
  /** Aborted when the node closes: pass it to anything that can stop early (transfers). */
  readonly signal: AbortSignal;
  readonly t: Translate;
  /** For passing states such as transfer progress. */
  readonly status: StatusView;
  /** Records what the work knows about the message so far, named if a close cuts it short. */
  note(facts: WorkFacts): void;
}

export interface InputResult {
  /** The message to send on, or null to send nothing. */
  msg: FlowMessage | null;
  /** Several messages to send on, in order, out of the first output (in place of `msg`). */
  messages?: FlowMessage[];
  /** The output `msg` leaves by, counted from 0 (default 0), for nodes with several outputs. */
  output?: number;
  /** Translated label for the status line, e.g. "sent". */
  status: string;
  /**
   * Part of the work failed (e.g. some destinations of a broadcast): what was done is sent on, then the input fails
   * with this error, as one `done(err)`.
   */
  partFailed?: Error;
}

export type InputWork = (msg: FlowMessage, context: InputContext) => Promise<InputResult>;

/** What the work of one input is given. */
class WorkContext implements InputContext {
  constructor(
    readonly signal: AbortSignal,
    private readonly facts: WorkFacts,
    readonly t: Translate,
    readonly status: StatusView,
  ) {}

  note(learnt: WorkFacts): void {
    Object.assign(this.facts, learnt);
  }
}

export class NodeHarness<C extends ConnectionConfigNode = ConnectionConfigNode> {
  readonly t: Translate;
  readonly status: StatusView;
  private readonly config: C | undefined;
  private readonly user: ConnectionUser | undefined;
  private readonly missingConfig: { status: string; error: string };
  private readonly inFlight = new InFlight();
  private readonly listeners = new TrackedListeners();
  private readonly cleanups: Array<() => Promise<void> | void> = [];
  private readonly failedLabel: string;
  private readonly endDeployWatch: () => void;

  constructor(
    RED: NodeAPI,
    private readonly node: Node,
    options: HarnessOptions,
  ) {
    this.t = translator(RED, options.type);
    this.missingConfig = options.missingConfig ?? { status: 'status.noAccount', error: 'errors.noAccount' };
    this.failedLabel = this.t(options.failedLabel ?? 'status.failed');
    // A node type that names a config setting uses a connection, even when a saved node lacks the value.
    const usesConnection = 'config' in options;
    this.status = new StatusView((s) => node.status(s), usesConnection);
    this.endDeployWatch = watchDeployStopping(RED.events, node, () =>
      this.inFlight.cutShortAll((facts) => this.cutShortError(facts)),
    );
    node.on('close', (_removed: boolean, done: () => void) => {
      this.close().then(done, done);
    });
    if (!usesConnection) return;
    const found = options.config ? RED.nodes.getNode(options.config) : null;
    this.config = (found as unknown as C | null) ?? undefined;
    if (!this.config) {
      this.status.configProblem(this.t(this.missingConfig.status));
      return;
    }
    const status = this.status;
    this.user = {
      id: node.id,
      connectionChanged: (change, text) => status.connectionChanged(change, text),
      configProblem: (text) => status.configProblem(text),
      keyStatus: (text, warning) => status.keyStatus(text, warning),
      queueStatus: (text) => status.waiting(text),
    };
    this.config.register(this.user);
  }

  /** The config node, or the flow-input error saying none is selected. */
  connection(): C {
    if (!this.config) throw new FlowInputError('noAccount', this.t(this.missingConfig.error));
    return this.config;
  }

  /** The config node when there is one (nodes that also work without it, e.g. to show why they cannot). */
  get connectionOrUndefined(): C | undefined {
    return this.config;
  }

  /** Whether the node has closed (or is closing): nothing may be sent any more. */
  get closed(): boolean {
    return this.inFlight.isClosed;
  }

  /** The node's one input handler. */
  onInput(work: InputWork): void {
    this.node.on('input', (msg: FlowMessage, send: SendFn, done: DoneFn) => this.handle(work, msg, send, done));
  }

  /** A listener on an emitter the node does not own, removed by reference when the node closes. */
  listen(emitter: EventEmitter, event: string, listener: Listener): void {
    this.listeners.on(emitter, event, listener);
  }

  /** The node's own cleanup on close, run after its running work was ended and before the config node is let go. */
  onClose(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  /**
   * Sends a message the node produced by itself (an event), unless the node has closed; an array sends one per output
   * (null: nothing on that output), as `node.send` does.
   */
  emit(msg: NodeMessage | Array<NodeMessage | null>, label: string): void {
    if (this.closed) return;
    try {
      this.node.send(msg);
    } catch (err) {
      // Node-RED copies the message for each extra wire while sending; a message it cannot copy must cost that one
      // message, never the process. Logged without the message: handing it on would have it copied again.
      const text = (err as Error)?.message ?? String(err);
      this.status.failed(this.failedLabel, text);
      this.node.error(text);
      return;
    }
    this.status.succeeded(label);
  }

  /** Shows a failure on the status line, for problems outside any input (e.g. background work). */
  showFailure(err: Error): void {
    this.status.failed(this.failedLabel, err.message);
  }

  private handle(work: InputWork, msg: FlowMessage, send: SendFn, done: DoneFn): void {
    if (this.closed) {
      done(this.cutShortError({}));
      return;
    }
    const succeed = (result: InputResult) => {
      if (result.partFailed) this.status.failed(this.failedLabel, result.partFailed.message);
      else this.status.succeeded(result.status);
      try {
        if (result.messages) {
          if (result.messages.length > 0) send([result.messages as NodeMessage[]]);
        } else if (result.msg) {
          const output = result.output ?? 0;
          if (output === 0) send(result.msg as NodeMessage);
          else send([...new Array<null>(output).fill(null), result.msg as NodeMessage]);
        }
      } catch (err) {
        done(err as Error);
        return;
      }
      done(result.partFailed);
    };
    const fail = (err: Error) => {
      this.status.failed(this.failedLabel, err.message);
      done(err);
    };
    const run = (signal: AbortSignal, facts: WorkFacts) => work(msg, new WorkContext(signal, facts, this.t, this.status));
    this.inFlight.run(run, done, succeed, fail);
  }

  private cutShortError(facts: WorkFacts): CutShortError {
    return facts.messageId
      ? new CutShortError(this.t('errors.closedWithId', { messageId: facts.messageId }), facts.messageId)
      : new CutShortError(this.t('errors.closed'));
  }

  private async close(): Promise<void> {
    this.endDeployWatch();
    this.listeners.removeAll();
    await this.inFlight.closeAll((facts) => this.cutShortError(facts), ABORT_SETTLE_MS);
    for (const cleanup of this.cleanups) {
      try {
        await cleanup();
      } catch (err) {
        this.node.warn((err as Error).message);
      }
    }
    if (this.config && this.user) await this.config.deregister(this.user);
  }
}
