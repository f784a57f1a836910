import { defineFeature } from '../../core/feature.ts';
import { zoomGesture } from './board-gestures.ts';
import { ZoomControls } from './ZoomControls.tsx';

/** Zoom and pan: pinch, Ctrl+wheel and keys on the board (a gesture), buttons in its corner. */
export const zoomFeature = defineFeature({
  name: 'zoom',
  start(page) {
    return {
      stop: page.gestures.add(zoomGesture(page.camera)),
      ui: { frame: ZoomControls },
    };
  },
});
