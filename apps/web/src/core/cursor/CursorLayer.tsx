import { usePage } from '../page-context.tsx';

/**
 * Where other users' cursors, chat bubbles and reaction bursts are drawn, and our own chat
 * bubble. React renders only this empty box; what is inside is added, moved and removed by
 * RemoteCursors (cursors.ts), OwnCursor (own-cursor.ts) and whatever features draw at cursors
 * (page.cursorLayer.use), without any React render. The ref callback is the layer's own, made
 * once, so React does not re-run it on re-render.
 */
export function CursorLayer() {
  return <div ref={usePage().cursorLayer.ref} className="cursor-layer" aria-hidden="true" />;
}
