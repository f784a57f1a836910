// Test hooks the web app exposes (see apps/web/src/main.tsx).
interface Window {
  __cursorlineCommits?: number;
}
