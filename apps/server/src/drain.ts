import type { Logger } from './log.ts';
import type { CursorlineServer } from './server.ts';

/**
 * Graceful drain on SIGTERM, in the order a load balancer can follow:
 *
 * 1. /readyz fails at once, while the node keeps serving everything (new users included: the
 *    balancer may still send some until its health check notices);
 * 2. after `drainMs` (longer than the balancer needs to see two failed checks), every user leaves
 *    at once for the other nodes and every client is closed with 1001, so it reconnects through
 *    the balancer to a node still in rotation;
 * 3. the server stops.
 */
export async function drainAndClose(
  server: CursorlineServer,
  drainMs: number,
  log: Logger,
): Promise<void> {
  server.drain();
  log.info({ drainMs }, 'draining: /readyz fails, still serving');
  await new Promise((resolve) => setTimeout(resolve, drainMs));
  log.info('drained: closing clients with 1001');
  await server.close();
}
