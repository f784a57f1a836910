import { PresenceClient } from '@cursorline/client';
import { disambiguate, type Point, type Pointer } from '@cursorline/protocol';
import type { ComponentType } from 'react';
import { trackActivity } from './activity.ts';
import { BoardView } from './cursor/board-view.ts';
import { BoardCamera } from './cursor/camera.ts';
import { RemoteCursors } from './cursor/cursors.ts';
import { BoardGestures } from './cursor/gestures.ts';
import { OwnCursor } from './cursor/own-cursor.ts';
import {
  DomLayer,
  type Feature,
  type Page,
  type PageClient,
  type Slot,
  undoAll,
} from './feature.ts';
import { loadName } from './name.ts';
import { readParams, withRoom } from './params.ts';
import { createPageStore } from './store.ts';

export interface PageOptions {
  /** The page's features, in order (features/index.ts). */
  features: readonly Feature<unknown>[];
  /** The address the page was opened at; `location` in a browser. */
  location?: Pick<Location, 'search' | 'href' | 'origin'>;
  /** Makes the connection; a PresenceClient to the page's own origin unless a test says otherwise. */
  connect?: (options: { room: string; name: string }) => PageClient;
  /** Leave the window alone (no leave-on-close, no online/pageshow): for tests. */
  quiet?: boolean;
}

/**
 * Builds the page: reads the address, opens the one connection, makes the store and the DOM
 * layers, wires the client's events into them, and starts every feature in the list. Called
 * once, from main.tsx (not in a component, so React's re-renders and StrictMode's double
 * effects cannot open a second connection), and undone by page.stop() (hot reload, tests).
 *
 * The client's events go two ways: presence and status into the store, which React renders;
 * cursor positions and pointers into the cursor layer (cursors.ts), which writes to the DOM
 * itself. The features add their own ways (chat bubbles, bursts, markers, the follower).
 */
export function startPage(options: PageOptions): Page {
  const where = options.location ?? location;
  const params = readParams(where.search);
  const room = params.room;
  // A visitor without a room got a new one: put it in the address bar, ready to share.
  if (params.roomIsNew && !options.quiet) {
    history.replaceState(history.state, '', withRoom(where.href, room));
  }

  const initialName = loadName();
  const store = createPageStore();
  const { actions } = store;
  const client =
    options.connect?.({ room, name: initialName }) ??
    new PresenceClient({
      // The page's own origin: in development Vite forwards /ws and /sockjs to the server, in
      // production the server serves this page.
      url: where.origin,
      room,
      name: initialName,
      transport: params.transport,
      sockjsTransports: params.sockjsTransports,
    });

  const camera = new BoardCamera();
  const boardView = new BoardView(camera);
  const cursors = new RemoteCursors(camera);
  const ownCursor = new OwnCursor(camera);
  const cursorLayer = new DomLayer();
  const gestures = new BoardGestures();
  const undo: (() => void)[] = [];

  undo.push(
    cursors.stop,
    ownCursor.stop,
    cursorLayer.use((el) => {
      cursors.attach(el);
      return () => cursors.detach(el);
    }),
    cursorLayer.use((el) => {
      ownCursor.attach(el);
      return () => ownCursor.detach();
    }),
  );

  const pointer = {
    move(at: Point | null): void {
      ownCursor.move(at);
      cursors.pointerAt(at); // the label under our pointer shows in full
      // Hidden: others see no cursor, so they get no positions at all.
      if (!store.getState().cursorHidden) client.move(at);
    },
    set(next: Pointer): void {
      client.setPointer(next);
    },
  };

  // Two people whose names look alike (Ana and Аna, alice and ALICE) are told apart by a short
  // suffix that every page derives from their ids, so everyone sees the same labels.
  undo.push(
    store.subscribe((s, prev) => {
      if (s.users === prev.users && s.self === prev.self) return;
      const labels = disambiguate(s.self ? [s.self, ...s.users] : s.users);
      actions.labelsChanged(labels);
      // After the handler that changed the list has also added or renamed the cursor.
      queueMicrotask(() => {
        for (const user of s.users) cursors.setLabel(user.id, labels.get(user.id) ?? user.name);
      });
    }),
  );

  undo.push(
    client.on('status', (status, detail) => actions.statusChanged(status, detail)),
    client.on('welcome', (self, users) => {
      actions.usersWelcomed(self, users);
      cursors.reset(users);
    }),
    client.on('join', (user) => {
      actions.userJoined(user);
      actions.announced(`${user.name} joined`);
      cursors.add(user);
    }),
    client.on('leave', (id) => {
      const name = store.nameOf(id);
      actions.userLeft(id);
      if (name) actions.announced(`${name} left`);
      cursors.remove(id);
    }),
    client.on('update', (user, change) => {
      const { id } = user;
      if (change === 'name') {
        actions.userRenamed(id, user.name);
        cursors.rename(id, user.name);
      } else if (change === 'state' && 'state' in user) {
        actions.userPresenceChanged(id, user.state);
        cursors.setPresence(id, user.state);
      } else if (change === 'pointer' && 'pointer' in user) {
        cursors.setPointer(id, user.pointer);
      }
      // views: only the follower needs them (features/follow)
    }),
    client.on('cursors', (moves) => {
      for (const { id, at } of moves) cursors.move(id, at);
    }),
    trackActivity(client, store),
  );

  if (!options.quiet) {
    // Closing the tab: leave at once. The beacon reaches the server even as the page unloads,
    // on every transport (SockJS polling has no socket whose close the server would notice).
    const onPageHide = () => {
      const token = client.token;
      if (token) navigator.sendBeacon('/leave', token);
      client.close();
    };
    // The network is back: retry at once rather than wait out the backoff, to resume our seat.
    const onOnline = () => client.reconnectNow();
    // Back to a page restored from the back/forward cache: its connection was closed for good.
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) location.reload();
    };
    addEventListener('pagehide', onPageHide);
    addEventListener('online', onOnline);
    addEventListener('pageshow', onPageShow);
    undo.push(() => {
      removeEventListener('pagehide', onPageHide);
      removeEventListener('online', onOnline);
      removeEventListener('pageshow', onPageShow);
    });
  }

  const apis = new Map<Feature<unknown>, unknown>();
  const slots = new Map<Slot, { key: string; Component: ComponentType }[]>();
  const page: Page = {
    client,
    store,
    room,
    initialName,
    camera,
    boardView,
    cursors,
    ownCursor,
    cursorLayer,
    gestures,
    pointer,
    api<Api>(feature: Feature<Api>): Api {
      if (!apis.has(feature)) throw new Error(`the "${feature.name}" feature is not on the page`);
      return apis.get(feature) as Api;
    },
    ui: (slot) => slots.get(slot) ?? [],
    stop: () => {
      undoAll(...undo)();
      undo.length = 0;
      client.close();
    },
  };

  // The features, in the list's order: one may use the api of another started before it.
  for (const feature of options.features) {
    const parts = feature.start(page);
    apis.set(feature, parts.api);
    if (parts.stop) undo.push(parts.stop);
    for (const [slot, Component] of Object.entries(parts.ui ?? {}) as [Slot, ComponentType][]) {
      const list = slots.get(slot) ?? [];
      list.push({ key: feature.name, Component });
      slots.set(slot, list);
    }
  }
  return page;
}
