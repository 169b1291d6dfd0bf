// The driver side of the JSON-lines protocol for any in-process ClientAdapter: reads requests from `input`,
// writes hello, results and events to `output`. `conformance/driver/ours-driver.ts` serves our client with it;
// a driver for another language implements the same lines (PROTOCOL.md).

import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ClientAdapter, ClientSession, ReceivedMessage, Subscription } from '../types.js';
import { toErrorInfo } from '../scenarios/scenario.js';
import { BufferedSubscription } from '../adapters/common.js';
import { DRIVER_PROTOCOL_VERSION, type DriverLine, type Request } from './protocol.js';

export interface ServeOptions {
  /** Short client name for the hello line (default: the adapter id). */
  client?: string;
}

/** Serves `adapter` until `shutdown` or the end of `input`. */
export async function serveAdapter(adapter: ClientAdapter, input: Readable, output: Writable, options: ServeOptions = {}): Promise<void> {
  const write = (line: DriverLine) => output.write(JSON.stringify(line) + '\n');
  const sessions = new Map<string, ClientSession>();
  const subs = new Map<string, { sub: Subscription; refs: Map<number, ReceivedMessage> }>();
  let nextRef = 1;

  write({
    type: 'hello',
    protocol: DRIVER_PROTOCOL_VERSION,
    client: options.client ?? adapter.id,
    description: adapter.description,
    transport: adapter.transport,
    capabilities: [...adapter.capabilities],
  });

  const session = (id: string): ClientSession => {
    const s = sessions.get(id);
    if (!s) throw new Error(`unknown session ${id}`);
    return s;
  };
  const subscription = (id: string) => {
    const s = subs.get(id);
    if (!s) throw new Error(`unknown subscription ${id}`);
    return s;
  };
  const messageByRef = (sub: string, ref: number): { sub: Subscription; message: ReceivedMessage } => {
    const s = subscription(sub);
    const message = s.refs.get(ref);
    if (!message) throw new Error(`unknown message ref ${ref}`);
    return { sub: s.sub, message };
  };

  const handle = async (req: Request): Promise<unknown> => {
    switch (req.op) {
      case 'create_session': {
        const s = await adapter.createSession();
        sessions.set(req.session, s);
        void s.disconnected.then((error) => write({ type: 'disconnected', session: req.session, error }));
        return undefined;
      }
      case 'connect':
        return session(req.session).connect(req.options);
      case 'publish':
        return session(req.session).publish(req.topic, req.data, req.options);
      case 'delta_publish':
        return session(req.session).deltaPublish(req.topic, req.data, req.options);
      case 'flush':
        return session(req.session).flush();
      case 'subscribe': {
        const sub = await session(req.session).subscribe(req.request);
        // A `replace` may hand back the subscription it replaced: its messages keep flowing under the first handle.
        const existing = [...subs.values()].find((e) => e.sub === sub);
        if (existing) {
          subs.set(req.sub, existing);
          return { id: sub.id };
        }
        const entry = { sub, refs: new Map<number, ReceivedMessage>() };
        subs.set(req.sub, entry);
        // Forward buffered and future messages as events: at once for the suite's own buffered subscriptions,
        // by polling the buffer for any other Subscription implementation.
        let forwarded = 0;
        const pump = () => {
          while (forwarded < sub.messages.length) {
            const message = sub.messages[forwarded++]!;
            const ref = nextRef++;
            entry.refs.set(ref, message);
            write({ type: 'message', session: req.session, sub: req.sub, ref, message });
          }
        };
        pump();
        if (sub instanceof BufferedSubscription) sub.onPush(pump);
        else timers.set(req.sub, setInterval(pump, 5));
        return { id: sub.id };
      }
      case 'sow':
        return session(req.session).sow(req.request);
      case 'sow_delete':
        return session(req.session).sowDelete(req.request);
      case 'ack': {
        const { sub, message } = messageByRef(req.sub, req.ref);
        return sub.ack(message, req.options);
      }
      case 'discard': {
        const { sub, message } = messageByRef(req.sub, req.ref);
        return sub.discard(message);
      }
      case 'unsubscribe': {
        const s = subscription(req.sub);
        stopPump(req.sub);
        if (s.sub instanceof BufferedSubscription) s.sub.onPush(() => undefined);
        return s.sub.close();
      }
      case 'disconnect':
        return session(req.session).disconnect();
      case 'shutdown':
        return undefined;
    }
  };

  const timers = new Map<string, NodeJS.Timeout>();
  const stopPump = (sub: string) => {
    const t = timers.get(sub);
    if (t) clearInterval(t);
    timers.delete(sub);
  };

  const lines = createInterface({ input, crlfDelay: Infinity });
  const inflight = new Set<Promise<void>>();
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      let req: Request;
      try {
        req = JSON.parse(line) as Request;
      } catch {
        write({ type: 'log', text: `unparsable request: ${line.slice(0, 200)}` });
        continue;
      }
      if (req.op === 'shutdown') {
        write({ type: 'result', id: req.id, ok: true });
        break;
      }
      // Requests run concurrently (a scenario may publish while a subscribe is pending).
      const p = handle(req).then(
        (result) => {
          write(result === undefined ? { type: 'result', id: req.id, ok: true } : { type: 'result', id: req.id, ok: true, result });
        },
        (err) => {
          write({ type: 'result', id: req.id, ok: false, error: toErrorInfo(err) });
        },
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  } finally {
    lines.close();
    for (const t of timers.values()) clearInterval(t);
    await Promise.allSettled([...inflight]);
    await Promise.allSettled([...sessions.values()].map((s) => s.disconnect()));
    await adapter.close();
  }
}
