'use strict';
// The SimpleX baseline: the least a program can do to run a bot on the CLI's WebSocket with the same `ws` library our
// client uses. Commands `{corrId, cmd}` answered by `{corrId, resp}`, events `{resp}` without a corrId; no heartbeat,
// no reconnect, no validation beyond the reply's type.
const WebSocket = require('ws');
const { closeSocket } = require('./raw-client');

class RawSimplexClient {
  constructor(socket) {
    this.socket = socket;
    this.nextCorrId = 0;
    /** corrId -> { resolve, reject, timer } */
    this.pending = new Map();
    /** Called with (text, chatItem) for every received message item of a `newChatItems` event. */
    this.onText = null;
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      const resp = frame && frame.resp;
      if (!resp) return;
      if (frame.corrId !== undefined && frame.corrId !== null) {
        const pending = this.pending.get(frame.corrId);
        if (!pending) return;
        this.pending.delete(frame.corrId);
        clearTimeout(pending.timer);
        if (resp.type === 'chatCmdError' || resp.type === 'chatError') {
          pending.reject(new Error(`command failed: ${JSON.stringify(resp.chatError || resp)}`));
        } else pending.resolve(resp);
      } else if (resp.type === 'newChatItems' && this.onText) {
        for (const aChatItem of resp.chatItems || []) {
          const item = aChatItem.chatItem;
          const content = item && item.content;
          if (content && content.type === 'rcvMsgContent' && content.msgContent)
            this.onText(content.msgContent.text, item);
        }
      }
    });
    socket.on('close', () => {
      for (const [id, pending] of this.pending) {
        clearTimeout(pending.timer);
        pending.reject(new Error('socket closed before the answer'));
        this.pending.delete(id);
      }
    });
  }

  static connect(url, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
      socket.once('open', () => {
        socket.off('error', reject);
        resolve(new RawSimplexClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** One command; resolves with its reply's `resp`. */
  command(cmd, timeoutMs = 15000) {
    const corrId = String(++this.nextCorrId);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(corrId);
        reject(new Error(`no answer to "${cmd.slice(0, 20)}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(corrId, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ corrId, cmd }), (err) => {
        if (!err || !this.pending.has(corrId)) return;
        this.pending.delete(corrId);
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** The same command the simplex-send node writes for `msg.payload = text, msg.chatRef = chatRef`. */
  async sendText(chatRef, text) {
    const resp = await this.command(
      `/_send ${chatRef} json ${JSON.stringify([{ msgContent: { type: 'text', text } }])}`,
    );
    if (resp.type !== 'newChatItems') throw new Error(`unexpected reply ${resp.type}`);
    return resp;
  }

  close() {
    return closeSocket(this.socket);
  }
}

module.exports = { RawSimplexClient };
