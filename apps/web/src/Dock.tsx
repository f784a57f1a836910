import { REACTIONS } from '@cursorline/protocol';
import { useEffect } from 'react';
import { chat, client, reactions } from './connection.ts';
import { setCursorHidden } from './hidden-cursor.ts';
import { usePresence } from './store.ts';

/** How long "Too many reactions" stays after the last refused one. */
const REFUSED_MS = 1600;

/** Takes the "too many reactions" note down a moment after the last refusal. */
function useRefusedNote(): boolean {
  const refusedAt = usePresence((s) => s.reactionRefusedAt);
  useEffect(() => {
    if (refusedAt === null) return;
    const timer = setTimeout(
      () => usePresence.setState({ reactionRefusedAt: null }),
      REFUSED_MS - (Date.now() - refusedAt),
    );
    return () => clearTimeout(timer);
  }, [refusedAt]);
  return refusedAt !== null;
}

/**
 * The controls at the bottom of the window: reactions (also keys 1–6), cursor chat (also "/")
 * and the cursor's visibility. Fixed there so they stay in reach however far the page is
 * scrolled, on a phone too. `data-overlay` tells board-view.ts that what is under the dock is
 * not seen. What the dock cannot do right now, it says in words, not only in a tooltip.
 */
export function Dock() {
  const hidden = usePresence((s) => s.cursorHidden);
  const refused = useRefusedNote();
  const why = hidden ? ' (show your cursor first)' : '';
  const note = hidden
    ? 'Your cursor is hidden: chat and reactions are off'
    : refused
      ? 'Too many reactions at once: wait a moment'
      : '';

  return (
    <section className="dock" data-overlay="bottom" aria-label="Collaborate">
      <p
        className="dock-note"
        data-testid="dock-note"
        data-kind={hidden ? 'hidden' : refused ? 'refused' : undefined}
        role="status"
      >
        {note}
      </p>
      <fieldset className="dock-group">
        <legend className="visually-hidden">Reactions</legend>
        {REACTIONS.map((emoji, i) => (
          <button
            key={emoji}
            type="button"
            className="dock-button reaction-button"
            data-testid="reaction-button"
            data-emoji={emoji}
            disabled={hidden}
            title={`React ${emoji} (key ${i + 1})${why}`}
            aria-keyshortcuts={String(i + 1)}
            onClick={() => reactions.send(emoji)}
          >
            {emoji}
          </button>
        ))}
      </fieldset>
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
      {/* The label says what pressing it does now; data-hidden is for tests and CSS. */}
      <button
        type="button"
        className="dock-button dock-hide"
        data-testid="hide-cursor-toggle"
        data-hidden={hidden}
        title={hidden ? 'Others cannot see your cursor now' : 'Stop showing your cursor to others'}
        onClick={() => setCursorHidden(client, !hidden)}
      >
        <svg className="dock-icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
          <circle cx="12" cy="12" r="3" />
          {!hidden && <path d="M4 4l16 16" />}
        </svg>
        <span className="dock-text">{hidden ? 'Show my cursor' : 'Hide my cursor'}</span>
      </button>
    </section>
  );
}
