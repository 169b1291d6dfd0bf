import { describe, expect, it } from 'vitest';
import * as amps from '../../runtime/index.js';

describe('public entry point', () => {
  it('exports the client API, the generated protocol API, bookmarks and stores', () => {
    for (const name of [
      'Client',
      'Message',
      'MessageStream',
      'DefaultAuthenticator',
      'Command',
      'ConnectionState',
      'AuthenticationException',
      'DisconnectedException',
      'TimedOutException',
      'exceptionForReason',
      'Bookmarks',
      'MemoryPublishStore',
      'MemoryBookmarkStore',
      'parseUri',
      'createTransport',
    ]) {
      expect(amps, name).toHaveProperty(name);
    }
    expect(amps.Bookmarks.MOST_RECENT).toBe('recent');
  });
});
