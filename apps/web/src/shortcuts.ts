import { REACTIONS } from '@cursorline/protocol';
import type { CursorChat } from './chat.ts';
import type { Reactions } from './reactions.ts';
import { isTyping } from './typing.ts';

/**
 * Keyboard shortcuts for the whole page: "/" opens cursor chat, 1–6 send the reactions in the
 * order the picker shows them. Not while typing, and not with Ctrl, Alt or Meta (those belong
 * to the browser and the system).
 */
export function installShortcuts(chat: CursorChat, reactions: Reactions): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey || isTyping(e.target)) return;
    if (e.key === '/') {
      e.preventDefault(); // or the slash would be typed into the input that opens
      chat.open();
      return;
    }
    const emoji = REACTIONS[Number(e.key) - 1];
    if (emoji && !e.repeat) reactions.send(emoji);
  };
  addEventListener('keydown', onKey);
  return () => removeEventListener('keydown', onKey);
}
