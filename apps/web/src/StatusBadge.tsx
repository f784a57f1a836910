import { useEffect, useState } from 'react';
import { statusText } from './status-text.ts';
import { usePresence } from './store.ts';

/** Milliseconds until `deadline` (a Date.now() time), re-rendering ten times a second until then. */
function useMsUntil(deadline: number | null): number | null {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const timer = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= deadline) clearInterval(timer);
    }, 100);
    return () => clearInterval(timer);
  }, [deadline]);
  return deadline === null ? null : Math.max(0, deadline - now);
}

/** Connection state at a glance; data-state and data-transport are there for tests and CSS. */
export function StatusBadge() {
  const status = usePresence((s) => s.status);
  const transport = usePresence((s) => s.transport);
  const fallback = usePresence((s) => s.fallback);
  const closeCode = usePresence((s) => s.closeCode);
  const closeReason = usePresence((s) => s.closeReason);
  const retryAt = usePresence((s) => s.retryAt);
  const msLeft = useMsUntil(status === 'reconnecting' ? retryAt : null);

  const lastClose = closeCode === null ? undefined : `Last close: ${closeCode} ${closeReason}`;
  return (
    <span
      className="status"
      data-testid="status"
      data-state={status}
      data-transport={transport}
      data-fallback={fallback}
      title={status === 'open' ? undefined : lastClose}
    >
      <span className="status-dot" aria-hidden="true" />
      {statusText({ status, transport, fallback, closeReason, closeCode, msLeft })}
    </span>
  );
}
