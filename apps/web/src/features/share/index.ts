import { defineFeature } from '../../core/feature.ts';
import { ShareButton } from './ShareButton.tsx';

/** The room's link, to copy. */
export const shareFeature = defineFeature({
  name: 'share',
  start: () => ({ ui: { topbar: ShareButton } }),
});
