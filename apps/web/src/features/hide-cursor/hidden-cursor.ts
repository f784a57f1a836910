import type { Page } from '../../core/feature.ts';

const STORAGE_KEY = 'cursorline:hidden';

/** Whether the user chose to hide their cursor last time (kept across visits). */
export function loadCursorHidden(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'true';
  } catch {
    return false; // storage disabled: the choice then lasts for this page only
  }
}

/**
 * "Hide my cursor": the others stop seeing it at once (we send "off the board") and we send no
 * positions while it is on. Chat and reactions, which appear at the cursor, are off too.
 */
export function setCursorHidden(page: Page, hidden: boolean): void {
  const { client, ownCursor, store } = page;
  store.actions.cursorHiddenChanged(hidden);
  try {
    localStorage.setItem(STORAGE_KEY, String(hidden));
  } catch {
    // Not fatal: the choice still applies to this page.
  }
  if (hidden) client.move(null);
  else if (ownCursor.onBoard) client.move(ownCursor.last);
}
