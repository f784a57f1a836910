import { defineFeature, undoAll } from '../../core/feature.ts';
import { FollowBanner } from './FollowBanner.tsx';
import { Follower } from './follow.ts';

/**
 * Follow mode: pick someone in the presence list and see what they see. The follower applies
 * their views straight to our camera; React shows only the banner. Its api (start, stop) is
 * what the presence list's buttons call.
 */
export const followFeature = defineFeature<Follower>({
  name: 'follow',
  start(page) {
    const follower = new Follower(page);
    return {
      api: follower,
      stop: undoAll(follower.watch(), follower.listen()),
      ui: { banner: () => <FollowBanner follower={follower} /> },
    };
  },
});
