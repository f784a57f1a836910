import { usePageState } from '../../core/page-context.tsx';
import { userStyle } from '../../ui/user-color.ts';
import type { Follower } from './follow.ts';

/** "Following Ada" with a way out, while following; a short notice when it ended on its own. */
export function FollowBanner({ follower }: { follower: Follower }) {
  const following = usePageState((s) => s.users.find((u) => u.id === s.following));
  const notice = usePageState((s) => s.followNotice);
  const label = usePageState((s) => (following ? s.labels.get(following.id) : undefined));

  if (following) {
    return (
      <div
        className="follow-banner tinted"
        data-testid="follow-banner"
        data-follow-control
        role="status"
        style={{ ...userStyle(following.color), borderColor: 'var(--cursor-color)' }}
      >
        <span
          className="avatar-dot"
          style={{ background: 'var(--cursor-color)' }}
          aria-hidden="true"
        />
        <span>
          Following <strong dir="auto">{label ?? following.name}</strong>
        </span>
        <button type="button" data-testid="follow-stop" onClick={() => follower.stop()}>
          Stop
        </button>
      </div>
    );
  }
  if (notice) {
    return (
      <div className="follow-banner follow-notice" data-testid="follow-notice" role="status">
        {notice}; stopped following.
      </div>
    );
  }
  return null;
}
