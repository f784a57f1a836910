import { markers } from './connection.ts';

const attach = (el: HTMLDivElement) => {
  markers.attach(el);
  return () => markers.detach(el);
};

/**
 * Over the whole window: markers on its edges for people whose cursor is out of sight. React
 * renders only this box; OffscreenMarkers (offscreen.ts) draws the markers in it.
 */
export function OffscreenLayer() {
  return <div ref={attach} className="offscreen-layer" />;
}
