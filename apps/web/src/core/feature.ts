import type { PresenceClient } from '@cursorline/client';
import type { Point, Pointer } from '@cursorline/protocol';
import type { ComponentType } from 'react';
import type { BoardView } from './cursor/board-view.ts';
import type { BoardCamera } from './cursor/camera.ts';
import type { RemoteCursors } from './cursor/cursors.ts';
import type { BoardGestures } from './cursor/gestures.ts';
import type { OwnCursor } from './cursor/own-cursor.ts';
import type { PageStore } from './store.ts';

/**
 * What the page uses of its PresenceClient. A test can hand the page a small stand-in with just
 * these (see test/fake-client.ts), and the page still runs exactly as it does in a browser.
 */
export type PageClient = Pick<
  PresenceClient,
  | 'on'
  | 'onRelay'
  | 'send'
  | 'move'
  | 'setName'
  | 'setActivity'
  | 'setPointer'
  | 'setView'
  | 'follow'
  | 'chat'
  | 'react'
  | 'reconnectNow'
  | 'close'
  | 'users'
  | 'token'
>;

/**
 * The places on the page a feature can put React UI in, in the order the page shows them (see
 * App.tsx): the top bar, beside the board, on the board (scaled with it), in the board's frame
 * (not scaled), a banner over the page, the dock at the bottom, and overlays over everything.
 */
export type Slot = 'topbar' | 'aside' | 'board' | 'frame' | 'banner' | 'dock' | 'overlay';

/**
 * A DOM element drawn into without React (cursors, bursts…): whoever wants to draw there calls
 * use(), and is handed the element whenever it is on screen. React only renders the empty box.
 */
export class DomLayer {
  private el: HTMLElement | null = null;
  private readonly drawers = new Map<(el: HTMLElement) => () => void, (() => void) | null>();

  /** `draw` gets the element each time it appears and returns what to undo when it goes. */
  use(draw: (el: HTMLElement) => () => void): () => void {
    this.drawers.set(draw, this.el ? draw(this.el) : null);
    return () => {
      this.drawers.get(draw)?.();
      this.drawers.delete(draw);
    };
  }

  /** A ref callback with a cleanup (React 19): stable, so React does not re-run it. */
  readonly ref = (el: HTMLElement | null): (() => void) | undefined => {
    // With a cleanup returned, React never calls it with null; older callers might.
    if (!el) return;
    this.el = el;
    for (const draw of this.drawers.keys()) this.drawers.set(draw, draw(el));
    return () => {
      for (const [draw, undo] of this.drawers) {
        undo?.();
        this.drawers.set(draw, null);
      }
      if (this.el === el) this.el = null;
    };
  };
}

/** The page, as its parts see it: made once by startPage (page.ts), handed to React by context. */
export interface Page {
  readonly client: PageClient;
  readonly store: PageStore;
  readonly room: string;
  /** The name we joined with (the name editor starts from it). */
  readonly initialName: string;
  readonly camera: BoardCamera;
  readonly boardView: BoardView;
  /** Other users' cursors, drawn into `cursorLayer`. */
  readonly cursors: RemoteCursors;
  readonly ownCursor: OwnCursor;
  /** The layer inside the board where cursors are drawn: draw here to appear at a cursor. */
  readonly cursorLayer: DomLayer;
  /** Pointer gestures on the board (cursor/gestures.ts): add one without touching the board. */
  readonly gestures: BoardGestures;
  /** Our own pointer on the board, as useBoardPointer reports it: it goes to the others. */
  readonly pointer: {
    move(at: Point | null): void;
    set(pointer: Pointer): void;
  };
  /** What a started feature offers the others (its `api`); throws if it is not on the page. */
  api<Api>(feature: Feature<Api>): Api;
  /** The UI the features put in a slot, in the order of the feature list. */
  ui(slot: Slot): readonly { key: string; Component: ComponentType }[];
  /** Undoes everything startPage did: listeners, layers, the connection. */
  stop(): void;
}

/** What a feature adds to the page when it starts. */
export interface FeatureParts<Api> {
  /** What the feature offers the others (page.api(feature)), e.g. the follower's start/stop. */
  api?: Api;
  /** React components for slots of the page. */
  ui?: Partial<Record<Slot, ComponentType>>;
  /** Undoes what start did (client events, listeners, gestures, layers). */
  stop?: () => void;
}

/**
 * One feature of the page (chat, reactions, follow…): one folder, one entry module exporting
 * one of these, one line in features/index.ts. `start` may subscribe to client events (relayed
 * messages with client.onRelay), draw into a DOM layer, add a board gesture and contribute UI.
 */
export interface Feature<Api = void> {
  readonly name: string;
  start(page: Page): FeatureParts<Api>;
}

/** Identity, for inference: `defineFeature({ name, start(page) { … } })`. */
export function defineFeature<Api = void>(feature: Feature<Api>): Feature<Api> {
  return feature;
}

/** Runs several undo functions as one, last first. */
export function undoAll(...undos: (() => void)[]): () => void {
  return () => {
    for (const undo of undos.reverse()) undo();
  };
}
