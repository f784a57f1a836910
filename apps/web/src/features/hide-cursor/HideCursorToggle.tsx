import { usePage, usePageState } from '../../core/page-context.tsx';
import { setCursorHidden } from './hidden-cursor.ts';

/** The dock's "Hide my cursor" / "Show my cursor". */
export function HideCursorToggle() {
  const page = usePage();
  const hidden = usePageState((s) => s.cursorHidden);
  // The label says what pressing it does now; data-hidden is for tests and CSS.
  return (
    <button
      type="button"
      className="dock-button dock-hide"
      data-testid="hide-cursor-toggle"
      data-hidden={hidden}
      title={hidden ? 'Others cannot see your cursor now' : 'Stop showing your cursor to others'}
      onClick={() => setCursorHidden(page, !hidden)}
    >
      <svg className="dock-icon" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
        <circle cx="12" cy="12" r="3" />
        {!hidden && <path d="M4 4l16 16" />}
      </svg>
      <span className="dock-text">{hidden ? 'Show my cursor' : 'Hide my cursor'}</span>
    </button>
  );
}
