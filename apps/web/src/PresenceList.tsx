import type { Activity } from '@cursorline/client';
import type { User, PresenceState as UserPresence } from '@cursorline/protocol';
import { follower } from './connection.ts';
import { initialOf } from './initial.ts';
import { usePresence } from './store.ts';

const STATE_LABEL: Record<UserPresence, string> = {
  active: '',
  idle: 'idle',
  away: 'away',
  offline: 'offline',
};

function Avatar({ user }: { user: User }) {
  return (
    <span
      className="avatar"
      data-testid="avatar"
      style={{ background: user.color }}
      aria-hidden="true"
    >
      {initialOf(user.name)}
    </span>
  );
}

function StateLabel({ state }: { state: UserPresence | Activity }) {
  const label = STATE_LABEL[state];
  return label ? (
    <span className="presence-state" data-testid="presence-state">
      {label}
    </span>
  ) : null;
}

/**
 * Who is here: ourselves first, then everyone else in the order they arrived, each with their
 * state. Everyone else is a button: pressing it follows their view (follow.ts).
 */
export function PresenceList() {
  const self = usePresence((s) => s.self);
  const selfState = usePresence((s) => s.selfState);
  const users = usePresence((s) => s.users);
  const following = usePresence((s) => s.following);

  return (
    <section className="presence" aria-labelledby="presence-title" data-follow-control>
      <h2 id="presence-title">Here now</h2>
      <ul data-testid="presence-list">
        {self && (
          <li
            key={self.id}
            data-testid="presence-item"
            data-user-id={self.id}
            data-name={self.name}
            data-self="true"
            data-state={selfState}
          >
            <div className="presence-entry">
              <Avatar user={self} />
              <span className="presence-name">{self.name}</span>
              <span className="you">(you)</span>
              <StateLabel state={selfState} />
            </div>
          </li>
        )}
        {users.map((user) => {
          const followed = following === user.id;
          return (
            <li
              key={user.id}
              data-testid="presence-item"
              data-user-id={user.id}
              data-name={user.name}
              data-state={user.state}
              data-bot={user.bot ? 'true' : undefined}
            >
              <button
                type="button"
                className="presence-entry"
                data-testid="follow-button"
                aria-pressed={followed}
                title={followed ? `Stop following ${user.name}` : `Follow ${user.name}'s view`}
                onClick={() => (followed ? follower.stop() : follower.start(user.id))}
              >
                <Avatar user={user} />
                <span className="presence-name">{user.name}</span>
                {user.bot && (
                  <span className="presence-state" data-testid="bot-tag">
                    bot
                  </span>
                )}
                <StateLabel state={user.state} />
                {followed && <span className="following-tag">following</span>}
              </button>
            </li>
          );
        })}
      </ul>
      {self && users.length === 0 && (
        <p className="presence-hint">
          Alone here. Share the link, or open this page in another window to see a cursor.
        </p>
      )}
      {users.length > 0 && (
        <p className="presence-hint">Pick someone to follow what they are looking at.</p>
      )}
    </section>
  );
}
