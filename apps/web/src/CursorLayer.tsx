import { bursts } from './bursts.ts';
import { cursors } from './connection.ts';
import { ownCursor } from './own-cursor.ts';

// A ref callback with a cleanup (React 19): hand the element to the layers that draw into it
// while it is on screen. Defined once, outside the component, so React does not re-run it on
// re-render.
const attach = (el: HTMLDivElement) => {
  cursors.attach(el);
  bursts.attach(el);
  ownCursor.attach(el);
  return () => {
    cursors.detach(el);
    bursts.detach(el);
    ownCursor.detach();
  };
};

/**
 * Where other users' cursors, chat bubbles and reaction bursts are drawn, and our own chat
 * bubble. React renders only this empty box; what is inside is added, moved and removed by
 * RemoteCursors (cursors.ts), ReactionBursts (bursts.ts) and OwnCursor (own-cursor.ts) without
 * any React render.
 */
export function CursorLayer() {
  return <div ref={attach} className="cursor-layer" aria-hidden="true" />;
}
