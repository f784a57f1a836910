import { defineFeature, undoAll } from '../../core/feature.ts';
import { onShortcut } from '../../ui/shortcuts.ts';
import { ChatButton, ChatInput } from './ChatInput.tsx';
import { CursorChat } from './chat.ts';

/**
 * Cursor chat: "/" (or the dock's button) opens an input at our pointer; what we send shows
 * beside our cursor on everyone's screen. Others' messages arrive as relayed `chat` messages
 * and show beside their cursors.
 */
export const chatFeature = defineFeature<CursorChat>({
  name: 'chat',
  start(page) {
    const chat = new CursorChat(page);
    return {
      api: chat,
      stop: undoAll(
        page.client.onRelay('chat', ({ id, text }) => page.cursors.chat(id, text)),
        onShortcut((e) => {
          if (e.key !== '/') return;
          e.preventDefault(); // or the slash would be typed into the input that opens
          chat.open();
        }),
      ),
      ui: {
        board: () => <ChatInput chat={chat} />,
        dock: () => <ChatButton chat={chat} />,
      },
    };
  },
});
