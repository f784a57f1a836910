import { defineFeature, undoAll } from '../../core/feature.ts';
import { OffscreenLayer } from './OffscreenLayer.tsx';
import { OffscreenMarkers } from './offscreen.ts';

/**
 * Markers on the edges of the window for people whose cursor is out of sight. Anything that
 * moves a cursor or changes a name or state schedules one redraw (at most one per frame).
 */
export const offscreenFeature = defineFeature({
  name: 'offscreen',
  start(page) {
    const { client } = page;
    const markers = new OffscreenMarkers(client, page.boardView);
    const schedule = () => markers.schedule();
    return {
      stop: undoAll(
        markers.watch(),
        client.on('welcome', schedule),
        client.on('join', schedule),
        client.on('leave', schedule),
        client.on('update', (_user, change) => {
          if (change === 'name' || change === 'state') schedule();
        }),
        client.on('cursors', schedule),
      ),
      ui: { overlay: () => <OffscreenLayer markers={markers} /> },
    };
  },
});
