import { LIMITS } from '@cursorline/protocol';
import { type CSSProperties, type KeyboardEvent, useState } from 'react';
import { camera } from './camera.ts';
import { chat } from './connection.ts';
import { inputPlace, sideFor } from './overlay-side.ts';
import { usePresence } from './store.ts';

/**
 * The cursor chat input: opened with "/" (or the chat button) at our pointer, inside the board
 * so it sits on the same spot of the content and scrolls with it. Enter sends, Escape or
 * leaving the field cancels. Near the frame's right edge it slides left, near the bottom it
 * opens upwards (overlay-side.ts), and it is focused without scrolling: a browser scrolling the
 * frame to show it would slide the board out from under the pointer.
 */
export function ChatInput() {
  const at = usePresence((s) => s.chatAt);
  // Unmounted while closed, so every chat starts empty.
  return at ? <ChatField x={at.x} y={at.y} /> : null;
}

// A ref callback, not autoFocus: React's autoFocus lets the browser scroll to the field.
const focusInPlace = (input: HTMLInputElement | null) => input?.focus({ preventScroll: true });

function ChatField({ x, y }: { x: number; y: number }) {
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
