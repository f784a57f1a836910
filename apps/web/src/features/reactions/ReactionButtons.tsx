import { REACTIONS } from '@cursorline/protocol';
import { useCursorNeeded } from '../../ui/Dock.tsx';
import type { Reactions } from './reactions.ts';

/** The dock's reaction buttons, in the order of keys 1–6. */
export function ReactionButtons({ reactions }: { reactions: Reactions }) {
  const { hidden, why } = useCursorNeeded();
  return (
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
  );
}
