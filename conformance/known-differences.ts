// Known-differences files: one YAML file per client (conformance/known-differences/<client>.yaml) listing the
// scenarios the client is documented to fail, with the reason. A failure listed there is reported as a
// documented difference; every other failure is a regression.
//
// Format:
//   client: official
//   differences:
//     - scenario: queues.auto-ack-batching
//       reason: the JS client only batches acks when ackBatchSize > 1 is set before subscribing
//       intermittent: true        # optional: fails only sometimes, so a pass is not a stale entry
//
// An entry may use a trailing `*` to cover a whole group (`ha.*`).

import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { resourcePath } from './util/resources.js';

export interface KnownDifference {
  scenario: string;
  reason: string;
  /** The client fails this scenario only sometimes: a pass is not reported as a stale entry. */
  intermittent?: boolean;
}

export class KnownDifferences {
  constructor(readonly entries: readonly KnownDifference[] = []) {}

  /** The entry covering `scenarioId`, if listed. */
  entryFor(scenarioId: string): KnownDifference | undefined {
    return this.entries.find(
      (e) => e.scenario === scenarioId || (e.scenario.endsWith('*') && scenarioId.startsWith(e.scenario.slice(0, -1))),
    );
  }

  /** The documented reason for `scenarioId`, if listed. */
  reasonFor(scenarioId: string): string | undefined {
    return this.entryFor(scenarioId)?.reason;
  }

  static parse(text: string, source = 'known-differences'): KnownDifferences {
    const doc = (parse(text) ?? {}) as { differences?: unknown };
    const list = doc.differences ?? [];
    if (!Array.isArray(list)) throw new Error(`${source}: 'differences' must be a list`);
    const entries = list.map((item, i) => {
      const e = item as Partial<KnownDifference>;
      if (typeof e.scenario !== 'string' || typeof e.reason !== 'string' || !e.reason.trim()) {
        throw new Error(`${source}: entry ${i} needs a 'scenario' and a non-empty 'reason'`);
      }
      if (e.intermittent !== undefined && typeof e.intermittent !== 'boolean') {
        throw new Error(`${source}: entry ${i}: 'intermittent' must be true or false`);
      }
      return { scenario: e.scenario, reason: e.reason.trim(), ...(e.intermittent ? { intermittent: true } : {}) };
    });
    return new KnownDifferences(entries);
  }
}

export const KNOWN_DIFFERENCES_DIR = resourcePath('known-differences');

/** File name for a client id (`official` → `official.yaml`, `driver:python` → `driver-python.yaml`). */
export function knownDifferencesFile(clientId: string, dir = KNOWN_DIFFERENCES_DIR): string {
  const base = clientId.replace(/:/g, '-').replace(/[^a-z0-9-]/gi, '_');
  return path.join(dir, `${base}.yaml`);
}

export function loadKnownDifferences(clientId: string, dir = KNOWN_DIFFERENCES_DIR): KnownDifferences {
  const file = knownDifferencesFile(clientId, dir);
  if (!existsSync(file)) return new KnownDifferences();
  return KnownDifferences.parse(readFileSync(file, 'utf8'), file);
}
