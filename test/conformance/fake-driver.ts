// A JSON-lines driver process serving the in-memory fake client (for the driver boundary tests).
import { serveAdapter } from '../../conformance/driver/serve.js';
import { FakeAdapter } from './fake-adapter.js';

const adapter = new FakeAdapter('fake', ['publish', 'subscribe', 'filter']);
if (process.argv.includes('--crash-on-publish')) {
  const orig = adapter.createSession.bind(adapter);
  adapter.createSession = async () => {
    const s = await orig();
    s.publish = async () => process.exit(3);
    return s;
  };
}
await serveAdapter(adapter, process.stdin, process.stdout);
process.exit(0);
