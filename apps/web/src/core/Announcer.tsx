import { usePageState } from './page-context.tsx';

/**
 * A visually hidden live region: screen readers say who joined and who left, politely (after
 * what they are reading). Cursors and the list change silently otherwise.
 */
export function Announcer() {
  const announcements = usePageState((s) => s.announcements);
  return (
    <div className="visually-hidden" data-testid="announcer" aria-live="polite">
      {announcements.map((a) => (
        <p key={a.id}>{a.text}</p>
      ))}
    </div>
  );
}
