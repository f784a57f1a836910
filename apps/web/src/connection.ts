import { PresenceClient } from '@cursorline/client';
import type { User } from '@cursorline/protocol';
import { RemoteCursors } from './cursors.ts';
import { loadName } from './name.ts';
import { readParams } from './params.ts';
import { usePresence } from './store.ts';

/**
 * The page's one connection, made when the module loads (not in a component, so React's
 * re-renders and StrictMode's double effects cannot open a second one). Its events go two ways:
 * presence and status into the store, which React renders; cursor positions into the
 * RemoteCursors layer, which writes to the DOM itself.
 */
const params = readParams(location.search);

export const room = params.room;
export const initialName = loadName();
export const cursors = new RemoteCursors();

export const client = new PresenceClient({
  // The page's own origin: in development Vite forwards /ws and /sockjs to the server, in
  // production the server serves this page.
  url: location.origin,
  room,
  name: initialName,
  transport: params.transport,
  sockjsTransports: params.sockjsTransports,
});

// The client updates its user objects in place; the store needs fresh ones to notice changes,
// and has no use for `at`.
const toUser = ({ id, name, color }: User): User => ({ id, name, color });
const set = usePresence.setState;

client.on('status', (status, detail) => {
  set({
    status,
    transport: detail.transport,
    closeCode: detail.code ?? null,
    closeReason: detail.reason ?? '',
    retryAt: detail.retryInMs === undefined ? null : Date.now() + detail.retryInMs,
  });
});

client.on('welcome', (self, users) => {
  set({ self: toUser(self), users: users.map(toUser) });
  cursors.reset(users);
});

client.on('join', (user) => {
  set((s) => ({ users: [...s.users.filter((u) => u.id !== user.id), toUser(user)] }));
  cursors.add(user);
});

client.on('leave', (id) => {
  set((s) => ({ users: s.users.filter((u) => u.id !== id) }));
  cursors.remove(id);
});

client.on('update', (user, change) => {
  if (change !== 'name') return;
  const { id, name } = user;
  set((s) => ({
    self: s.self?.id === id ? { ...s.self, name } : s.self,
    users: s.users.map((u) => (u.id === id ? { ...u, name } : u)),
  }));
  cursors.rename(id, name);
});

client.on('cursors', (moves) => {
  for (const { id, at } of moves) cursors.move(id, at);
});

// Closing the tab: leave at once. The beacon reaches the server even as the page unloads, on
// every transport (SockJS polling has no socket whose close the server would notice).
addEventListener('pagehide', () => {
  const token = client.token;
  if (token) navigator.sendBeacon('/leave', token);
  client.close();
});
// Back to a page restored from the back/forward cache: its connection was closed for good.
addEventListener('pageshow', (event) => {
  if (event.persisted) location.reload();
});

// Development only. Hot-swapping this module would leave the old connection open (a ghost user
// in the room, and two clients writing to one store), so when this file or one it imports
// changes, close the old connection and reload the page instead.
if (import.meta.hot) {
  import.meta.hot.dispose(() => client.close());
  import.meta.hot.accept(() => location.reload());
}
