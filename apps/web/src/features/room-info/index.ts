import { defineFeature } from '../../core/feature.ts';
import { RoomInfo } from './RoomInfo.tsx';

/** Which room this is and how many are in it. */
export const roomInfoFeature = defineFeature({
  name: 'room-info',
  start: () => ({ ui: { topbar: RoomInfo } }),
});
