import { cursors } from './connection.ts';

// A ref callback with a cleanup (React 19): hand the element to the cursor layer while it is
// on screen. Defined once, outside the component, so React does not re-run it on re-render.
const attach = (el: HTMLDivElement) => {
  cursors.attach(el);
  return () => cursors.detach(el);
};

/**
 * Where other users' cursors are drawn. React renders only this empty box; the cursors inside
 * are added, moved and removed by RemoteCursors (cursors.ts) without any React render.
 */
export function CursorLayer() {
  return <div ref={attach} className="cursor-layer" aria-hidden="true" />;
}
