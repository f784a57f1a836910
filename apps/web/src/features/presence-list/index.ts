import { defineFeature } from '../../core/feature.ts';
import { PresenceList } from './PresenceList.tsx';

/** Who is here, with a way to follow them. */
export const presenceListFeature = defineFeature({
  name: 'presence-list',
  start: () => ({ ui: { aside: PresenceList } }),
});
