// Encoded publish headers: the header of a parameterless `publish` / `delta_publish` depends only on the topic, so
// it is encoded once per topic and the transport copies the bytes into the frame. A publish loop then costs one
// body encode and one copy, with no header object and no header encoding per message.

import type { Header } from '../../generated/header-fields.js';
import { preEncodeHeader, type EncodedHeader } from '../wire/header-codec.js';

/** Topics whose plain publish header is kept encoded (per command). */
export const PUBLISH_HEADER_CACHE_SIZE = 1024;

/** The encoded `{c, t}` header per topic for one command (`p` or `delta_publish`). Bounded: past
 *  PUBLISH_HEADER_CACHE_SIZE topics the cache starts over. */
export class PublishHeaderCache {
  private readonly cache = new Map<string, EncodedHeader>();

  constructor(readonly command: string) {}

  /** The plain header of `topic`, encoded (once per topic while cached). */
  encoded(topic: string): EncodedHeader {
    const cache = this.cache;
    let encoded = cache.get(topic);
    if (encoded === undefined) {
      if (cache.size >= PUBLISH_HEADER_CACHE_SIZE) cache.clear();
      encoded = preEncodeHeader({ command: this.command, topic } as Header);
      cache.set(topic, encoded);
    }
    return encoded;
  }
}
