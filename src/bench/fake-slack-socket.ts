/**
 * A local stand-in for Slack's Socket Mode WebSocket service (loopback only).
 *
 * The protocol, as Slack documents it ("Using Socket Mode", docs.slack.dev/apis/events-api/
 * using-socket-mode) and as @slack/socket-mode 3.x speaks it (SocketModeClient / SlackWebSocket):
 * - the app calls apps.connections.open with its app-level (`xapp-`) token and gets a `wss://` URL
 *   carrying a single-use ticket; it connects to it (a fresh URL for every reconnection);
 * - on connect Slack sends `{"type":"hello","num_connections":n,"debug_info":{…},"connection_info":
 *   {"app_id":…}}`; the client counts itself connected only then;
 * - each delivery is an envelope `{"envelope_id","type":"events_api"|"slash_commands"|"interactive",
 *   "payload","accepts_response_payload", ("retry_attempt","retry_reason" for events)}` sent to one of
 *   the app's open connections; the app acks with `{"envelope_id","payload"?}` within 3 seconds;
 * - `{"type":"disconnect","reason":"warning"|"refresh_requested"|"link_disabled"}` asks the client to
 *   close and reconnect (it calls apps.connections.open again);
 * - the client pings every clientPingTimeout/3 and expects pongs (the `ws` server answers them).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { startFakeSlackWebApi, type FakeSlackApi, type FakeSlackApiOptions } from './fake-slack-web.js';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface SocketAck {
  envelope_id: string;
  /** The ack's payload (a slash command's response, an interaction's response_action…), if any. */
  payload?: unknown;
  /** Milliseconds from sending the envelope to receiving the ack. */
  ms: number;
}

export interface SendOptions {
  /** Reject when the ack has not arrived within this many ms (Slack waits 3 s). Default 3000. */
  timeoutMs?: number;
  /** Events API redeliveries: `retry_attempt` / `retry_reason` on the envelope. */
  retryAttempt?: number;
  retryReason?: string;
  /** Default: true for slash commands, false otherwise (true for view_submission in Slack). */
  acceptsResponsePayload?: boolean;
  /** Send on this connection (index into `connections()`) instead of round robin. */
  connection?: number;
}

export interface FakeSocketMode {
  /** For apps.connections.open: a new ws:// URL with a single-use ticket. */
  connectionUrl(): string;
  /** Deliver an envelope and wait for its ack. */
  send(type: EnvelopeType, payload: unknown, opts?: SendOptions): Promise<SocketAck>;
  /** Every message the app sent (acks and anything else), parsed. */
  received: unknown[];
  /** Open connections, oldest first. */
  connections(): number;
  /** Resolve once at least `n` connections are open (and have been sent hello). */
  waitForConnections(n: number, timeoutMs?: number): Promise<void>;
  /** Ask every open connection (or one) to reconnect: a `disconnect` message, as Slack sends. */
  requestReconnect(reason?: 'warning' | 'refresh_requested' | 'link_disabled', connection?: number): void;
  /** Drop every connection without a close handshake (a network failure). */
  dropConnections(): void;
  /** How many connections were ever accepted, and how many were refused for a bad ticket. */
  stats(): { accepted: number; refused: number };
  stop(): Promise<void>;
}

interface Pending { resolve: (a: SocketAck) => void; reject: (e: Error) => void; sentAt: number; timer: NodeJS.Timeout }

export async function startFakeSocketMode(opts: { appId?: string } = {}): Promise<FakeSocketMode> {
  const appId = opts.appId ?? 'A1';
  const tickets = new Set<string>();
  const open: WebSocket[] = [];
  const pending = new Map<string, Pending>();
  const received: unknown[] = [];
  const connWaiters: Array<{ n: number; resolve: () => void }> = [];
  let rr = 0;
  let accepted = 0;
  let refused = 0;

  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
      refused += 1;
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      accepted += 1;
      open.push(ws);
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let msg: unknown;
        try {
          msg = JSON.parse(data.toString());
        } catch {
          return;
        }
        received.push(msg);
        const id = typeof msg === 'object' && msg !== null ? (msg as { envelope_id?: unknown }).envelope_id : undefined;
        const p = typeof id === 'string' ? pending.get(id) : undefined;
        if (!p || typeof id !== 'string') return;
        pending.delete(id);
        clearTimeout(p.timer);
        const payload = (msg as { payload?: unknown }).payload;
        p.resolve({ envelope_id: id, ...(payload !== undefined ? { payload } : {}), ms: performance.now() - p.sentAt });
      });
      ws.on('close', () => {
        const i = open.indexOf(ws);
        if (i >= 0) open.splice(i, 1);
      });
      ws.send(JSON.stringify({
        type: 'hello', num_connections: open.length,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }));
      for (let i = connWaiters.length - 1; i >= 0; i--) {
        if (open.length >= connWaiters[i]!.n) {
          connWaiters[i]!.resolve();
          connWaiters.splice(i, 1);
        }
      }
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const { port } = http.address() as AddressInfo;

  const live = () => open.filter((ws) => ws.readyState === ws.OPEN);

  return {
    connectionUrl: () => {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=${appId}`;
    },
    send: (type, payload, o = {}) => {
      const conns = live();
      if (conns.length === 0) return Promise.reject(new Error('no Socket Mode connection is open'));
      const ws = o.connection !== undefined ? conns[o.connection] : conns[rr++ % conns.length];
      if (!ws) return Promise.reject(new Error(`no Socket Mode connection ${o.connection}`));
      const envelope_id = randomUUID();
      const envelope = {
        envelope_id, type, payload,
        accepts_response_payload: o.acceptsResponsePayload ?? type === 'slash_commands',
        ...(type === 'events_api' ? { retry_attempt: o.retryAttempt ?? 0, retry_reason: o.retryReason ?? '' } : {}),
      };
      const timeoutMs = o.timeoutMs ?? 3000;
      return new Promise<SocketAck>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelope_id);
          reject(new Error(`no ack for ${type} envelope ${envelope_id} within ${timeoutMs} ms`));
        }, timeoutMs);
        timer.unref();
        pending.set(envelope_id, { resolve, reject, sentAt: performance.now(), timer });
        ws.send(JSON.stringify(envelope));
      });
    },
    received,
    connections: () => live().length,
    waitForConnections: (n, timeoutMs = 10_000) => {
      if (live().length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const w = { n, resolve };
        connWaiters.push(w);
        setTimeout(() => {
          const i = connWaiters.indexOf(w);
          if (i >= 0) connWaiters.splice(i, 1);
          reject(new Error(`fewer than ${n} Socket Mode connections after ${timeoutMs} ms (${live().length} open)`));
        }, timeoutMs).unref();
      });
    },
    requestReconnect: (reason = 'refresh_requested', connection) => {
      const conns = live();
      for (const ws of connection !== undefined ? conns.slice(connection, connection + 1) : conns) {
        ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } }));
      }
    },
    dropConnections: () => {
      for (const ws of [...open]) ws.terminate();
    },
    stats: () => ({ accepted, refused }),
    stop: async () => {
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error('Socket Mode fake stopped'));
      }
      pending.clear();
      // Close handshakes first (clients that are shutting down finish theirs cleanly), then cut.
      await Promise.all([...open].map((ws) => new Promise<void>((r) => {
        const t = setTimeout(() => r(), 1000);
        ws.once('close', () => {
          clearTimeout(t);
          r();
        });
        if (ws.readyState === ws.OPEN) ws.close(1001, 'going away');
      })));
      for (const ws of [...open]) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => {
        http.close(() => r());
        http.closeAllConnections();
      });
    },
  };
}

/** Both fakes, wired: apps.connections.open on `api` hands out `socket`'s URLs. Stop the app first. */
export async function startFakeSlack(opts: FakeSlackApiOptions = {}): Promise<{ api: FakeSlackApi; socket: FakeSocketMode; stop(): Promise<void> }> {
  const socket = await startFakeSocketMode({ appId: opts.bot?.appId ?? 'A1' });
  const api = await startFakeSlackWebApi({ ...opts, socketUrl: () => socket.connectionUrl() });
  return { api, socket, stop: async () => {
    await socket.stop();
    await api.stop();
  } };
}
