import { useEffect } from 'react';
import { FeatureSlot, useActions, usePageState } from '../core/page-context.tsx';

/** How long "Too many reactions" stays after the last refused one. */
const REFUSED_MS = 1600;

/** Takes the "too many reactions" note down a moment after the last refusal. */
function useRefusedNote(): boolean {
  const refusedAt = usePageState((s) => s.reactionRefusedAt);
  const { reactionRefusalExpired } = useActions();
  useEffect(() => {
    if (refusedAt === null) return;
    const timer = setTimeout(reactionRefusalExpired, REFUSED_MS - (Date.now() - refusedAt));
    return () => clearTimeout(timer);
  }, [refusedAt, reactionRefusalExpired]);
  return refusedAt !== null;
}

/**
 * The controls at the bottom of the window: what the features put in the dock slot (reactions,
 * cursor chat, the cursor's visibility). Fixed there so they stay in reach however far the page
 * is scrolled, on a phone too. `data-overlay` tells board-view.ts that what is under the dock is
 * not seen. What the dock cannot do right now, it says in words, not only in a tooltip.
 */
export function Dock() {
  const hidden = usePageState((s) => s.cursorHidden);
  const refused = useRefusedNote();
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
      <FeatureSlot name="dock" />
    </section>
  );
}

/** For dock buttons that need the cursor: why they are off while it is hidden. */
export function useCursorNeeded(): { hidden: boolean; why: string } {
  const hidden = usePageState((s) => s.cursorHidden);
  return { hidden, why: hidden ? ' (show your cursor first)' : '' };
}
