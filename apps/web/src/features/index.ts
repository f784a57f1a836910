import type { Feature } from '../core/feature.ts';
import { chatFeature } from './chat/index.tsx';
import { followFeature } from './follow/index.tsx';
import { hideCursorFeature } from './hide-cursor/index.ts';
import { nameFeature } from './name/index.ts';
import { offscreenFeature } from './offscreen/index.tsx';
import { pingFeature } from './ping/index.ts';
import { presenceListFeature } from './presence-list/index.ts';
import { reactionsFeature } from './reactions/index.tsx';
import { roomInfoFeature } from './room-info/index.ts';
import { shareFeature } from './share/index.ts';
import { statusFeature } from './status/index.ts';
import { zoomFeature } from './zoom/index.ts';

/**
 * Every feature of the page, in order: the order they start in (one may use the api of an
 * earlier one: the presence list's buttons call the follower), and the order of their UI within
 * each slot (the top bar reads room, status, share, name; the dock reactions, chat, hide).
 * A new feature is a folder beside these and one line here.
 */
export const FEATURES: readonly Feature<unknown>[] = [
  roomInfoFeature,
  statusFeature,
  shareFeature,
  nameFeature,
  followFeature,
  presenceListFeature,
  reactionsFeature,
  chatFeature,
  pingFeature,
  hideCursorFeature,
  zoomFeature,
  offscreenFeature,
];
