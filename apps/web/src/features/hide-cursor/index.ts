import { defineFeature } from '../../core/feature.ts';
import { HideCursorToggle } from './HideCursorToggle.tsx';

/**
 * "Hide my cursor": the choice itself is page state (the cursor path reads it before sending a
 * position, startPage loads it from the last visit); this feature is its toggle in the dock.
 */
export const hideCursorFeature = defineFeature({
  name: 'hide-cursor',
  start: () => ({ ui: { dock: HideCursorToggle } }),
});
