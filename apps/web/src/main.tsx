// First: zod's configuration must be in place before the protocol's schemas are built.
import './zod-config.ts';
import { Profiler, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
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

createRoot(root).render(
  <StrictMode>
    <Profiler id="app" onRender={countCommit}>
      <App />
    </Profiler>
  </StrictMode>,
);
