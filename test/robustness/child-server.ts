// Not a test file: a mock server in its own process (for the tests that may wedge its event loop): prints its ports as one JSON
// line on stdout, exits when stdin closes.
import { MockServer } from '../../mock-server/index.js';

const server = await MockServer.start();
process.stdout.write(`${JSON.stringify({ tcp: server.port('tcp'), ws: server.port('ws') })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
