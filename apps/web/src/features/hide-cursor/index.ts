import { defineFeature } from '../../core/feature.ts';
import { HideCursorToggle } from './HideCursorToggle.tsx';
import { loadCursorHidden } from './hidden-cursor.ts';

/**
 * "Hide my cursor": the choice itself is page state (the cursor path reads it before sending a
 * position); this feature brings back the choice of the last visit and is its toggle in the dock.
 */
export const hideCursorFeature = defineFeature({
  name: 'hide-cursor',
  start(page) {
    if (loadCursorHidden()) page.store.actions.cursorHiddenChanged(true);
    return { ui: { dock: HideCursorToggle } };
  },
});
