import { useCallback, useSyncExternalStore } from 'react';
import { usePage } from '../../core/page-context.tsx';
import { ZOOM_STEP } from './board-gestures.ts';

/** − / zoom / + in the board's corner: zooming for those without a wheel, keys or two fingers. */
export function ZoomControls() {
  const { camera } = usePage();
  const subscribe = useCallback((fn: () => void) => camera.subscribe(fn), [camera]);
  // Whole percents: the label re-renders only when the rounded figure changes.
  const zoom = useSyncExternalStore(subscribe, () => Math.round(camera.scale * 100));
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
