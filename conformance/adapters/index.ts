// Client specs → adapters: `ours` (TCP), `ours-ws`, `official` (npm amps, WebSocket), `driver:<command>`.

import type { ClientAdapter } from '../types.js';
import { OursAdapter } from './ours.js';
import { OfficialAdapter } from './official.js';
import { DriverAdapter, type DriverAdapterOptions } from './driver.js';

export { OursAdapter, OURS_CAPABILITIES } from './ours.js';
export { OfficialAdapter, OFFICIAL_CAPABILITIES } from './official.js';
export { DriverAdapter, type DriverAdapterOptions } from './driver.js';
export { BufferedSubscription, DisconnectLatch, NamedStores, mapBookmark } from './common.js';

/** Every built-in client spec, in report order (drivers are given explicitly). */
export const BUILTIN_CLIENTS = ['ours', 'ours-ws', 'official'] as const;

/** Our own clients: the `start` command fails on their regressions. */
export const OUR_CLIENTS: ReadonlySet<string> = new Set(['ours', 'ours-ws', 'driver:ours', 'driver:ours-ws']);

export async function createAdapter(spec: string, driverOptions: DriverAdapterOptions = {}): Promise<ClientAdapter> {
  if (spec === 'ours' || spec === 'ours-tcp') return new OursAdapter('tcp');
  if (spec === 'ours-ws') return new OursAdapter('ws');
  if (spec === 'official') return new OfficialAdapter();
  if (spec.startsWith('driver:')) return DriverAdapter.start(spec.slice('driver:'.length), driverOptions);
  throw new Error(`unknown client '${spec}' (expected ours, ours-ws, official or driver:<command>)`);
}
