import { LIMITS } from '@cursorline/protocol';
import { type CSSProperties, type KeyboardEvent, useState } from 'react';
import { inputPlace, sideFor } from '../../core/cursor/overlay-side.ts';
import { usePage, usePageState } from '../../core/page-context.tsx';
import { useCursorNeeded } from '../../ui/Dock.tsx';
import type { CursorChat } from './chat.ts';

/**
 * The cursor chat input: opened with "/" (or the chat button) at our pointer, inside the board
 * so it sits on the same spot of the content and scrolls with it. Enter sends, Escape or
 * leaving the field cancels. Near the frame's right edge it slides left, near the bottom it
 * opens upwards (overlay-side.ts), and it is focused without scrolling: a browser scrolling the
 * frame to show it would slide the board out from under the pointer.
 */
export function ChatInput({ chat }: { chat: CursorChat }) {
  const at = usePageState((s) => s.chatAt);
  // Unmounted while closed, so every chat starts empty.
  return at ? <ChatField chat={chat} x={at.x} y={at.y} /> : null;
}

// A ref callback, not autoFocus: React's autoFocus lets the browser scroll to the field.
const focusInPlace = (input: HTMLInputElement | null) => input?.focus({ preventScroll: true });

function ChatField({ chat, x, y }: { chat: CursorChat; x: number; y: number }) {
  const { camera } = usePage();
  // Placed once, when it opens: it stays where it opened while we type.
  const [side] = useState(() => sideFor({ x, y }, camera));
  const [place] = useState(() => inputPlace({ x, y }, camera));
  const [text, setText] = useState('');
  const [refused, setRefused] = useState(false);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return; // Enter that confirms an IME composition
    if (e.key === 'Enter') {
      e.preventDefault();
      setRefused(!chat.send(text));
    } else if (e.key === 'Escape') {
      e.preventDefault();
      chat.close();
    }
  };

  return (
    <div
      className="chat-input"
      data-side={side}
      style={
        {
          transform: `translate(${x}px, ${y}px) scale(var(--cursor-scale, 1))`,
          '--chat-left': `${place.left}px`,
          '--chat-width': `${place.width}px`,
        } as CSSProperties
      }
    >
      <input
        data-testid="chat-input"
        aria-label="Say something beside your cursor (Enter sends, Escape cancels)"
        placeholder="Say something…"
        value={text}
        maxLength={LIMITS.chatMaxLength}
        autoComplete="off"
        ref={focusInPlace}
        aria-invalid={refused || undefined}
        onChange={(e) => {
          setText(e.target.value);
          setRefused(false);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => chat.close()}
      />
      {refused && <span className="chat-slow">Too fast, try again in a moment</span>}
    </div>
  );
}

/** The dock's chat button (also key "/"). */
export function ChatButton({ chat }: { chat: CursorChat }) {
  const { hidden, why } = useCursorNeeded();
  return (
    <button
      type="button"
      className="dock-button dock-chat"
      data-testid="chat-button"
      disabled={hidden}
      title={`Say something at your cursor (key /)${why}`}
      aria-keyshortcuts="/"
      onClick={() => chat.open()}
    >
      <svg className="dock-icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M4 5h16v11H9l-5 4z" />
      </svg>
      <span className="dock-text">Chat</span>
    </button>
  );
}
