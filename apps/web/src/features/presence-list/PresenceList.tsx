import type { Activity } from '@cursorline/client';
import type { PresenceState, User } from '@cursorline/protocol';
import { useState } from 'react';
import { usePage, usePageState } from '../../core/page-context.tsx';
import { initialOf } from '../../ui/initial.ts';
import { userStyle } from '../../ui/user-color.ts';
import { followFeature } from '../follow/index.tsx';

/** Avatars in the collapsed stack; the rest are "+N". */
const STACK = 5;
/** More people than this and the list gets a search field. */
const SEARCH_FROM = 8;

const STATE_LABEL: Record<PresenceState, string> = {
  active: '',
  idle: 'idle',
  away: 'away',
  offline: 'offline',
};

function Avatar({ user, testid = 'avatar' }: { user: User; testid?: string }) {
  const initials = initialOf(user.name);
  return (
    <span
      className="avatar tinted"
      data-testid={testid}
      data-long={initials.length > 2 || undefined}
      style={userStyle(user.color)}
      aria-hidden="true"
    >
      {initials}
    </span>
  );
}

/**
 * The collapsed presence area (narrow screens): the first few avatars and "+N". Pressing it
 * opens the whole list over the page, searchable and scrolling, so a crowd never pushes the
 * board off a phone's screen.
 */
function AvatarStack({
  people,
  open,
  onToggle,
}: {
  people: User[];
  open: boolean;
  onToggle: () => void;
}) {
  const more = people.length - STACK;
  return (
    <button
      type="button"
      className="presence-stack"
      data-testid="presence-toggle"
      aria-expanded={open}
      aria-controls="presence-panel"
      onClick={onToggle}
    >
      {people.slice(0, STACK).map((user) => (
        <Avatar key={user.id} user={user} testid="stack-avatar" />
      ))}
      {more > 0 && (
        <span className="avatar presence-more" data-testid="presence-more" aria-hidden="true">
          +{more}
        </span>
      )}
      <span className="visually-hidden">
        {open ? 'Hide the list of people' : `Show all ${people.length} people`}
      </span>
    </button>
  );
}

function StateLabel({ state }: { state: PresenceState | Activity }) {
  const label = STATE_LABEL[state];
  return label ? (
    <span className="presence-state" data-testid="presence-state">
      {label}
    </span>
  ) : null;
}

/**
 * Who is here: ourselves first, then everyone else in the order they arrived, each with their
 * state. Everyone else is a button: pressing it follows their view (the follow feature). In a
 * crowd the list scrolls and can be searched; on narrow screens it folds into an avatar stack.
 */
export function PresenceList() {
  const follower = usePage().api(followFeature);
  const self = usePageState((s) => s.self);
  const selfState = usePageState((s) => s.selfState);
  const users = usePageState((s) => s.users);
  const labels = usePageState((s) => s.labels);
  const following = usePageState((s) => s.following);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const everyone = self ? [self, ...users] : users;
  const needle = query.trim().toLocaleLowerCase();
  const shown = needle ? users.filter((u) => u.name.toLocaleLowerCase().includes(needle)) : users;

  return (
    <section
      className="presence"
      aria-labelledby="presence-title"
      data-follow-control
      data-open={open}
      data-testid="presence"
    >
      <div className="presence-head">
        <h2 id="presence-title">
          Here now <span className="presence-count">{everyone.length}</span>
        </h2>
        <AvatarStack people={everyone} open={open} onToggle={() => setOpen(!open)} />
      </div>
      <div id="presence-panel" className="presence-panel">
        {everyone.length > SEARCH_FROM && (
          <input
            type="search"
            className="presence-search"
            data-testid="presence-search"
            aria-label="Find someone by name"
            placeholder="Find someone…"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        )}
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
                <span className="presence-name" dir="auto">
                  {labels.get(self.id) ?? self.name}
                </span>
                <span className="you">(you)</span>
                <StateLabel state={selfState} />
              </div>
            </li>
          )}
          {shown.map((user) => {
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
                  <span className="presence-name" dir="auto">
                    {labels.get(user.id) ?? user.name}
                  </span>
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
        {needle && shown.length === 0 && <p className="presence-hint">Nobody by that name.</p>}
        {users.length > 0 && (
          <p className="presence-hint">Pick someone to follow what they are looking at.</p>
        )}
      </div>
    </section>
  );
}
