import { useEffect, useRef, useState } from 'react';
import { usePage } from '../../core/page-context.tsx';
import { shareLink } from '../../core/params.ts';

type Shared = 'idle' | 'copied' | 'manual';

/**
 * Copies the room's link. Where the clipboard is not available (an insecure origin, an old
 * browser, permission refused), shows the link in a field, selected, to copy by hand.
 */
export function ShareButton() {
  const { room } = usePage();
  const [shared, setShared] = useState<Shared>('idle');
  const fieldRef = useRef<HTMLInputElement>(null);
  const link = shareLink(location.href, room);

  useEffect(() => {
    if (shared === 'manual') {
      fieldRef.current?.focus();
      fieldRef.current?.select();
    }
    if (shared !== 'copied') return;
    const timer = setTimeout(() => setShared('idle'), 2000);
    return () => clearTimeout(timer);
  }, [shared]);

  const share = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      setShared('copied');
    } catch {
      setShared('manual');
    }
  };

  return (
    <div className="share">
      <button type="button" className="share-button" data-testid="share-button" onClick={share}>
        {shared === 'copied' ? 'Copied' : 'Share link'}
      </button>
      {shared === 'manual' && (
        <input
          ref={fieldRef}
          className="share-url"
          data-testid="share-url"
          aria-label="Room link: copy it"
          value={link}
          readOnly
          onFocus={(e) => e.currentTarget.select()}
          onBlur={() => setShared('idle')}
        />
      )}
      <span className="visually-hidden" aria-live="polite">
        {shared === 'copied' ? 'Link copied' : ''}
      </span>
    </div>
  );
}
