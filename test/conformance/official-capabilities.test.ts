import { describe, expect, it } from 'vitest';
import { SCENARIOS, notApplicableReason } from '../../conformance/index.js';
import { OfficialAdapter } from '../../conformance/adapters/official.js';
import { OursAdapter } from '../../conformance/adapters/ours.js';
import { fakeTarget } from './fake-target.js';

// npm test does not run the official client through the whole suite (npm start does); this pins which scenarios
// it sits out, so a change to its declared capabilities cannot turn an honest n/a into a reported failure.
describe('the official adapter sits out exactly the scenarios it cannot do', () => {
  const target = fakeTarget();
  /** Scenarios the client sits out for lack of a capability (server features are another matter). */
  const lacking = (adapter: OfficialAdapter | OursAdapter) =>
    SCENARIOS.filter((s) => notApplicableReason(s, adapter, target)?.startsWith('client lacks capability')).map((s) => s.id);

  it('n/a: the logon timeout (its connect() takes none) and the two persistent-bookmark-store scenarios', () => {
    expect(lacking(new OfficialAdapter()).sort()).toEqual(['bookmarks.resume-after-process-restart', 'bookmarks.resume-undiscarded', 'errors.logon-timeout']);
  });

  it('our client sits out nothing', () => {
    expect(lacking(new OursAdapter('tcp'))).toEqual([]);
    expect(lacking(new OursAdapter('ws'))).toEqual([]);
  });
});
