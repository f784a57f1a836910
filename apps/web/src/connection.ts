import { PresenceClient } from '@cursorline/client';
import { disambiguate, type User, type UserState } from '@cursorline/protocol';
import { CursorChat } from './chat.ts';
import { RemoteCursors } from './cursors.ts';
import { Follower } from './follow.ts';
import { loadCursorHidden } from './hidden-cursor.ts';
import { loadName } from './name.ts';
import { OffscreenMarkers } from './offscreen.ts';
import { readParams, withRoom } from './params.ts';
import { Reactions } from './reactions.ts';
import { announce, type ListedUser, nameOf, usePresence } from './store.ts';

/**
 * The page's one connection, made when the module loads (not in a component, so React's
 * re-renders and StrictMode's double effects cannot open a second one). Its events go two ways:
 * presence and status into the store, which React renders; cursor positions, pointers, views,
 * chat and reactions into small DOM layers (cursors, markers, bursts) and the follower, which
 * write to the DOM themselves.
 */
const params = readParams(location.search);

export const room = params.room;
// A visitor without a room got a new one: put it in the address bar, ready to share.
if (params.roomIsNew) history.replaceState(history.state, '', withRoom(location.href, room));

export const initialName = loadName();
usePresence.setState({ cursorHidden: loadCursorHidden() });

export const client = new PresenceClient({
  // The page's own origin: in development Vite forwards /ws and /sockjs to the server, in
  // production the server serves this page.
  url: location.origin,
  room,
  name: initialName,
  transport: params.transport,
  sockjsTransports: params.sockjsTransports,
});

export const cursors = new RemoteCursors();
export const markers = new OffscreenMarkers(client);
export const follower = new Follower(client);
export const chat = new CursorChat(client);
export const reactions = new Reactions(client, cursors);

// The client updates its user objects in place; the store needs fresh ones to notice changes,
// and has no use for the fast-changing parts (position, pointer, view).
const toUser = ({ id, name, color }: User): User => ({ id, name, color });
const toListed = ({ id, name, color, state, bot }: UserState): ListedUser => ({
  id,
  name,
  color,
  state,
  ...(bot ? { bot } : {}),
});
const set = usePresence.setState;

// Two people whose names look alike (Ana and Аna, alice and ALICE) are told apart by a short
// suffix that every page derives from their ids, so everyone sees the same labels.
usePresence.subscribe((s, prev) => {
  if (s.users === prev.users && s.self === prev.self) return;
  const labels = disambiguate(s.self ? [s.self, ...s.users] : s.users);
  set({ labels });
  // After the handler that changed the list has also added or renamed the cursor.
  queueMicrotask(() => {
    for (const user of s.users) cursors.setLabel(user.id, labels.get(user.id) ?? user.name);
  });
});

client.on('status', (status, detail) => {
  set({
    status,
    transport: detail.transport,
    fallback: detail.fallback ?? '',
    closeCode: detail.code ?? null,
    closeReason: detail.reason ?? '',
    retryAt: detail.retryInMs === undefined ? null : Date.now() + detail.retryInMs,
  });
});

client.on('welcome', (self, users) => {
  set({ self: toUser(self), users: users.map(toListed) });
  cursors.reset(users);
  markers.schedule();
});

client.on('join', (user) => {
  set((s) => ({ users: [...s.users.filter((u) => u.id !== user.id), toListed(user)] }));
  announce(`${user.name} joined`);
  cursors.add(user);
  markers.schedule();
});

client.on('leave', (id) => {
  const name = nameOf(id);
  set((s) => ({ users: s.users.filter((u) => u.id !== id) }));
  if (name) announce(`${name} left`);
  cursors.remove(id);
  markers.schedule();
});

client.on('update', (user, change) => {
  const { id } = user;
  if (change === 'name') {
    const { name } = user;
    set((s) => ({
      self: s.self?.id === id ? { ...s.self, name } : s.self,
      users: s.users.map((u) => (u.id === id ? { ...u, name } : u)),
    }));
    cursors.rename(id, name);
  } else if (change === 'state' && 'state' in user) {
    const { state } = user;
    set((s) => ({ users: s.users.map((u) => (u.id === id ? { ...u, state } : u)) }));
    cursors.setState(id, state);
  } else if (change === 'pointer' && 'pointer' in user) {
    cursors.setPointer(id, user.pointer);
    return;
  } else {
    return; // views: only the follower needs them (follow.ts)
  }
  markers.schedule();
});

client.on('cursors', (moves) => {
  for (const { id, at } of moves) cursors.move(id, at);
  markers.schedule();
});

client.on('chat', (id, text) => cursors.chat(id, text));

// Closing the tab: leave at once. The beacon reaches the server even as the page unloads, on
// every transport (SockJS polling has no socket whose close the server would notice).
addEventListener('pagehide', () => {
  const token = client.token;
  if (token) navigator.sendBeacon('/leave', token);
  client.close();
});
// The network is back: retry at once rather than wait out the backoff, to resume our seat in time.
addEventListener('online', () => client.reconnectNow());
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
