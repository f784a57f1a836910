import { useEffect } from 'react';
import { Announcer } from './Announcer.tsx';
import { trackActivity } from './activity.ts';
import { Board } from './Board.tsx';
import { chat, client, follower, reactions } from './connection.ts';
import { Dock } from './Dock.tsx';
import { FollowBanner } from './FollowBanner.tsx';
import { NameEditor } from './NameEditor.tsx';
import { OffscreenLayer } from './OffscreenLayer.tsx';
import { PresenceList } from './PresenceList.tsx';
import { RoomInfo } from './RoomInfo.tsx';
import { ShareButton } from './ShareButton.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { installShortcuts } from './shortcuts.ts';
import { usePresence } from './store.ts';

/** Listeners on the whole window: our activity, keyboard shortcuts, input that ends following. */
function usePageListeners() {
  useEffect(() => {
    const stops = [trackActivity(client), installShortcuts(chat, reactions), follower.listen()];
    return () => {
      for (const stop of stops) stop();
    };
  }, []);
}

export function App() {
  usePageListeners();
  // While not connected, others are shown dimmed as "last seen" (styles.css).
  const status = usePresence((s) => s.status);
  return (
    <div className="app" data-connection={status}>
      <header className="topbar" data-overlay="top">
        <h1 className="brand">
          <svg width="18" height="22" viewBox="0 0 18 22" aria-hidden="true">
            <path d="M0 0V17L4.5 12.8L7.4 19.2L10.2 18L7.4 11.7H13.5Z" />
          </svg>
          Cursorline
        </h1>
        <RoomInfo />
        <StatusBadge />
        <ShareButton />
        <NameEditor />
      </header>
      <main className="layout">
        <Board />
        <aside>
          <PresenceList />
        </aside>
      </main>
      <FollowBanner />
      <Dock />
      <OffscreenLayer />
      <Announcer />
    </div>
  );
}
