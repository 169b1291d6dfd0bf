import type { Target } from '../../conformance/targets/target.js';
import { DEFAULT_TOPICS } from '../../conformance/targets/target.js';
import type { TargetFeature } from '../../conformance/types.js';

export function fakeTarget(features: TargetFeature[] = ['sow', 'txlog', 'queue', 'regex-topic']): Target {
  return {
    kind: 'external',
    description: 'fake target',
    uris: { tcp: 'tcp://fake:1/amps/json' },
    features: new Set(features),
    topics: DEFAULT_TOPICS,
    close: async () => undefined,
  };
}
