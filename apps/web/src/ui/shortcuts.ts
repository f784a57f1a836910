import { isTyping } from './typing.ts';

/**
 * A keyboard shortcut for the whole page (a feature's: "/" opens chat, 1–6 react). Not while
 * typing, and not with Ctrl, Alt or Meta (those belong to the browser and the system). Returns
 * the listener's removal.
 */
export function onShortcut(handle: (e: KeyboardEvent) => void): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || isTyping(e.target)) return;
    handle(e);
  };
  addEventListener('keydown', onKey);
  return () => removeEventListener('keydown', onKey);
}
