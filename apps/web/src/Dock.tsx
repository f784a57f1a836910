import { REACTIONS } from '@cursorline/protocol';
import { chat, client, reactions } from './connection.ts';
import { setCursorHidden } from './hidden-cursor.ts';
import { usePresence } from './store.ts';

/**
 * The controls at the bottom of the window: reactions (also keys 1–6), cursor chat (also "/")
 * and "hide my cursor". Fixed there so they stay in reach however far the page is scrolled, on
 * a phone too. `data-overlay` tells board-view.ts that what is under the dock is not seen.
 */
export function Dock() {
  const hidden = usePresence((s) => s.cursorHidden);
  const why = hidden ? ' (show your cursor first)' : '';

  return (
    <section className="dock" data-overlay="bottom" aria-label="Collaborate">
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
      <button
        type="button"
        className="dock-button dock-hide"
        data-testid="hide-cursor-toggle"
        aria-pressed={hidden}
        title={hidden ? 'Others cannot see your cursor' : 'Stop showing your cursor to others'}
        onClick={() => setCursorHidden(client, !hidden)}
      >
        <svg className="dock-icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
          <circle cx="12" cy="12" r="3" />
          {hidden && <path d="M4 4l16 16" />}
        </svg>
        {/* One name whatever the state: aria-pressed says whether it is on. */}
        <span className="dock-text">Hide my cursor</span>
      </button>
    </section>
  );
}
