import { usePresence } from './store.ts';

/** Who is here: ourselves first, then everyone else in the order they arrived. */
export function PresenceList() {
  const self = usePresence((s) => s.self);
  const users = usePresence((s) => s.users);
  const everyone = self ? [self, ...users] : users;

  return (
    <section className="presence" aria-labelledby="presence-title">
      <h2 id="presence-title">Here now</h2>
      <ul data-testid="presence-list">
        {everyone.map((user) => {
          const isSelf = user === self;
          return (
            <li
              key={user.id}
              data-testid="presence-item"
              data-user-id={user.id}
              data-name={user.name}
              data-self={isSelf ? 'true' : undefined}
            >
              <span className="dot" style={{ background: user.color }} aria-hidden="true" />
              <span className="presence-name">{user.name}</span>
              {isSelf && <span className="you">(you)</span>}
            </li>
          );
        })}
      </ul>
      {self && users.length === 0 && (
        <p className="presence-hint">
          Alone here. Open this page in another window to see a cursor.
        </p>
      )}
    </section>
  );
}
