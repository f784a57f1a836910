import { useEffect, useState } from 'react';
import { usePageState } from '../../core/page-context.tsx';
import { statusText } from './status-text.ts';

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
  const status = usePageState((s) => s.status);
  const transport = usePageState((s) => s.transport);
  const fallback = usePageState((s) => s.fallback);
  const closeCode = usePageState((s) => s.closeCode);
  const closeReason = usePageState((s) => s.closeReason);
  const retryAt = usePageState((s) => s.retryAt);
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
