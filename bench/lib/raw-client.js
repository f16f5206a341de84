'use strict';
// The baseline: the least a program can do to talk to semilimes over the WebSocket with the same `ws` library our
// client uses. One socket, the documented frames, requestId correlation, nothing else (no heartbeat, no reconnect,
// no validation of what comes back beyond eventType / requestId / success).
const { randomUUID } = require('node:crypto');
const WebSocket = require('ws');

class RawClient {
  constructor(socket) {
    this.socket = socket;
    /** requestId -> { resolve, reject, timer } */
    this.pending = new Map();
    /** Called with (frame, arrivedAt) for every MessageReceived frame, arrivedAt taken once it is parsed. */
    this.onMessageReceived = null;
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (frame.eventType === 'Response') {
        const pending = this.pending.get(frame.requestId);
        if (!pending) return;
        this.pending.delete(frame.requestId);
        clearTimeout(pending.timer);
        const body = frame.eventBody || {};
        if (body.success === true) pending.resolve(body.data);
        else pending.reject(new Error(`request failed: ${body.error || 'no error text'} (${body.statusCode})`));
      } else if (frame.eventType === 'MessageReceived' && this.onMessageReceived) {
        this.onMessageReceived(frame, performance.now());
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

  /** Opens `/service/ws` with `Authorization: Bearer <key>`; rejects on refusal or after `timeoutMs`. */
  static connect(wsUrl, apiKey, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(wsUrl, {
        headers: { Authorization: `Bearer ${apiKey}` },
        handshakeTimeout: timeoutMs,
      });
      socket.once('open', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => {
        res.resume();
        socket.terminate();
        reject(new Error(`upgrade refused: HTTP ${res.statusCode}`));
      });
    });
  }

  /** One request frame; resolves with the answer's `data`. */
  request(requestType, body, timeoutMs = 15000) {
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`no answer to ${requestType} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ requestId, requestType, version: '2', body }), (err) => {
        if (!err) return;
        const pending = this.pending.get(requestId);
        if (!pending) return;
        this.pending.delete(requestId);
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** The same p2p text the send node produces for `msg.payload = text, msg.recipientId = recipientId`. */
  sendText(recipientId, text) {
    return this.request('/communication/p2p/message/send', {
      recipientId,
      options: { silent: false },
      dataComponent: { dataComponentType: 'text', text },
    });
  }

  close() {
    return closeSocket(this.socket);
  }
}

/** Closes a socket politely, cutting it off when the peer has not answered the close within a second. */
function closeSocket(socket) {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) return resolve();
    const force = setTimeout(() => socket.terminate(), 1000);
    socket.once('close', () => {
      clearTimeout(force);
      resolve();
    });
    socket.close(1000, 'bench done');
  });
}

module.exports = { RawClient, closeSocket };
