import { useCallback } from 'react';
import type { OffscreenMarkers } from './offscreen.ts';

/**
 * Over the whole window: markers on its edges for people whose cursor is out of sight. React
 * renders only this box; OffscreenMarkers (offscreen.ts) draws the markers in it.
 */
export function OffscreenLayer({ markers }: { markers: OffscreenMarkers }) {
  // A ref callback with a cleanup (React 19), the same function for as long as the markers are.
  const attach = useCallback(
    (el: HTMLDivElement) => {
      markers.attach(el);
      return () => markers.detach(el);
    },
    [markers],
  );
  return <div ref={attach} className="offscreen-layer" />;
}
