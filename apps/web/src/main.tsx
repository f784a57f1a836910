// First: zod's configuration must be in place before the protocol's schemas are built.
import './zod-config.ts';
import { Profiler, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './core/App.tsx';
import { startPage } from './core/page.ts';
import { PageProvider } from './core/page-context.tsx';
import { FEATURES } from './features/index.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

declare global {
  interface Window {
    /** Development builds only: how many times React committed the app (read by e2e tests). */
    __cursorlineCommits?: number;
  }
}
// React calls Profiler callbacks only in development builds. The e2e suite uses this count to
// prove that remote cursor moves cause no React render at all.
const countCommit = () => {
  window.__cursorlineCommits = (window.__cursorlineCommits ?? 0) + 1;
};

// The page is made here, once, outside React: the connection, the store, the DOM layers and
// the features (core/page.ts). React gets it through context.
const page = startPage({ features: FEATURES });
const app = createRoot(root);
app.render(
  <StrictMode>
    <Profiler id="app" onRender={countCommit}>
      <PageProvider page={page}>
        <App />
      </PageProvider>
    </Profiler>
  </StrictMode>,
);

// Development only. Hot-swapping the page would leave the old connection open (a ghost user in
// the room, and two clients writing to one store), so when this file or one it imports changes
// without a hot boundary of its own, stop the page and reload instead.
if (import.meta.hot) {
  import.meta.hot.dispose(() => {
    app.unmount();
    page.stop();
  });
  import.meta.hot.accept(() => location.reload());
}
