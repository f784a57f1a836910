import { Dock } from '../ui/Dock.tsx';
import { Announcer } from './Announcer.tsx';
import { Board } from './cursor/Board.tsx';
import { FeatureSlot, usePageState } from './page-context.tsx';

/**
 * The page's layout. Its parts come from the features (features/index.ts), each in its slot:
 * this file only says where the slots are.
 */
export function App() {
  // While not connected, others are shown dimmed as "last seen" (styles.css).
  const status = usePageState((s) => s.status);
  return (
    <div className="app" data-connection={status}>
      <header className="topbar" data-overlay="top">
        <h1 className="brand">
          <svg width="18" height="22" viewBox="0 0 18 22" aria-hidden="true">
            <path d="M0 0V17L4.5 12.8L7.4 19.2L10.2 18L7.4 11.7H13.5Z" />
          </svg>
          Cursorline
        </h1>
        <FeatureSlot name="topbar" />
      </header>
      <main className="layout">
        <Board />
        <aside>
          <FeatureSlot name="aside" />
        </aside>
      </main>
      <FeatureSlot name="banner" />
      <Dock />
      <FeatureSlot name="overlay" />
      <Announcer />
    </div>
  );
}
