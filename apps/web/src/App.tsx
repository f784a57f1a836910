import { Board } from './Board.tsx';
import { NameEditor } from './NameEditor.tsx';
import { PresenceList } from './PresenceList.tsx';
import { RoomInfo } from './RoomInfo.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export function App() {
  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">
          <svg width="18" height="22" viewBox="0 0 18 22" aria-hidden="true">
            <path d="M0 0V17L4.5 12.8L7.4 19.2L10.2 18L7.4 11.7H13.5Z" />
          </svg>
          Cursorline
        </h1>
        <RoomInfo />
        <StatusBadge />
        <NameEditor />
      </header>
      <main className="layout">
        <Board />
        <aside>
          <PresenceList />
        </aside>
      </main>
    </div>
  );
}
