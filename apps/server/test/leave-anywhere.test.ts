import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryBackplane, InMemoryBus } from '../src/backplane/in-memory.ts';
import { createLogger } from '../src/log.ts';
import { type CursorlineServer, createServer } from '../src/server.ts';
import { idOf, joinRoom, type TestUser, waitFor } from './helpers.ts';

/**
 * Behind a load balancer the goodbye beacon reaches any node. Two servers on one bus: the
 * beacon goes to the node that does not hold the seat, and the user still leaves at once.
 */
const servers: CursorlineServer[] = [];
const users: TestUser[] = [];
afterEach(async () => {
  for (const u of users.splice(0)) u.client.close();
  for (const s of servers.splice(0)) await s.close();
});

async function node(bus: InMemoryBus): Promise<string> {
  const server = createServer(
    { host: '127.0.0.1', port: 0 },
    createLogger('silent'),
    new InMemoryBackplane(bus),
  );
  servers.push(server);
  return `http://127.0.0.1:${await server.listen()}`;
}

describe('the goodbye beacon on another node', () => {
  it.each(['ws', 'sockjs'] as const)('is passed to the owner: %s user gone at once', async (t) => {
    const bus = new InMemoryBus();
    const [a, b] = [await node(bus), await node(bus)];
    const leaver = await joinRoom(
      a,
      'bye',
      'Leaver',
      t,
      t === 'sockjs' ? ['xhr-polling'] : undefined,
    );
    const watcher = await joinRoom(b, 'bye', 'Watcher', 'ws');
    users.push(leaver, watcher);
    await waitFor(() => watcher.client.users.size === 1, 'Watcher to see Leaver');
    const id = idOf(leaver);

    const sent = Date.now();
    const res = await fetch(`${b}/leave`, { method: 'POST', body: leaver.client.token });
    expect(res.status).toBe(202); // not held on b: forwarded
    await waitFor(() => watcher.leaves.includes(id), 'the leave', 1000);
    expect(Date.now() - sent).toBeLessThan(1000);
    expect(servers[0]?.rooms.userCount).toBe(0);
  });
});
