import type { Activity } from '@cursorline/client';
import type { PageClient } from './feature.ts';
import type { PageStore } from './store.ts';

/** No input for this long and we count as idle. */
export const IDLE_AFTER_MS = 60_000;
// Our own input only: a scroll we did not cause (following someone) is not us being here.
const INPUTS = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * What we tell the others about ourselves: away while the tab is hidden, idle after a minute
 * without input, active otherwise. Input events only stamp the time; one timer checks it, so a
 * stream of pointer moves costs no timer churn. The client sends only changes.
 */
export function trackActivity(client: PageClient, store: PageStore): () => void {
  let lastInput = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const set = (activity: Activity) => {
    client.setActivity(activity);
    store.actions.activityChanged(activity);
  };

  const check = () => {
    timer = undefined;
    if (document.visibilityState === 'hidden') return set('away');
    const quiet = Date.now() - lastInput;
    if (quiet >= IDLE_AFTER_MS) return set('idle');
    timer = setTimeout(check, IDLE_AFTER_MS - quiet);
  };

  const onInput = () => {
    lastInput = Date.now();
    if (document.visibilityState === 'hidden') return;
    if (store.getState().selfState !== 'active') set('active');
    timer ??= setTimeout(check, IDLE_AFTER_MS);
  };

  const onVisibility = () => {
    if (document.visibilityState === 'hidden') {
      set('away');
      return;
    }
    onInput(); // coming back to the tab is being here
  };

  const options = { capture: true, passive: true };
  for (const type of INPUTS) addEventListener(type, onInput, options);
  document.addEventListener('visibilitychange', onVisibility);
  check();
  return () => {
    clearTimeout(timer);
    for (const type of INPUTS) removeEventListener(type, onInput, options);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
