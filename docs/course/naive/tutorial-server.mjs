// The classic tutorial design, kept runnable so the course can show what goes wrong with it.
// Do not deploy this. Every line of it is a pitfall one of the chapters fixes:
// - nobody is told when a user leaves, and closed sockets stay in the map (chapter 1);
// - a newcomer gets no snapshot, so it sees nobody until they move (chapter 1);
// - JSON.parse without a guard: one malformed frame throws, and the process exits (chapter 2);
// - every move goes to everyone at once, as JSON (chapter 4); no limits, no origin check (chapter 8).
// Positions are whatever the page sends, in the tutorial's case viewport pixels (clientX/clientY).
//
// Run it from the repository root: PORT=8080 node docs/course/naive/tutorial-server.mjs
import { createRequire } from 'node:module';

// `ws` is a dependency of apps/server; this file borrows it from there.
const require = createRequire(new URL('../../../apps/server/package.json', import.meta.url));
const { WebSocketServer } = require('ws');

const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 8080) });
const clients = new Map();
let nextId = 1;

wss.on('connection', (ws) => {
  const id = nextId++;
  clients.set(ws, { id });
  ws.on('message', (data) => {
    const { x, y } = JSON.parse(data);
    const message = JSON.stringify({ id, x, y });
    for (const client of clients.keys()) {
      if (client !== ws) client.send(message);
    }
  });
});

wss.on('listening', () => console.log(`tutorial server listening on ${wss.address().port}`));
