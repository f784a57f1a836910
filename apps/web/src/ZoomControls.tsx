import { useSyncExternalStore } from 'react';
import { ZOOM_STEP } from './board-gestures.ts';
import { camera } from './camera.ts';

const subscribe = (fn: () => void) => camera.subscribe(fn);
// Whole percents: the label re-renders only when the rounded figure changes.
const percent = () => Math.round(camera.scale * 100);

/** − / zoom / + in the board's corner: zooming for those without a wheel, keys or two fingers. */
export function ZoomControls() {
  const zoom = useSyncExternalStore(subscribe, percent);
  return (
    <fieldset className="zoom-controls" aria-label="Zoom the board (keys − + 0)">
      <button
        type="button"
        data-testid="zoom-out"
        aria-label="Zoom out"
        aria-keyshortcuts="-"
        onClick={() => camera.zoomBy(1 / ZOOM_STEP)}
      >
        −
      </button>
      <button
        type="button"
        data-testid="zoom-reset"
        aria-label={`Zoom ${zoom}%, press to reset`}
        aria-keyshortcuts="0"
        onClick={() => camera.reset()}
      >
        {zoom}%
      </button>
      <button
        type="button"
        data-testid="zoom-in"
        aria-label="Zoom in"
        aria-keyshortcuts="+"
        onClick={() => camera.zoomBy(ZOOM_STEP)}
      >
        +
      </button>
    </fieldset>
  );
}
