import { type Page, undoAll } from '../../core/feature.ts';

/** How long "Ada left" stays after following ended because Ada left. */
const NOTICE_MS = 4000;
/** Keys that move focus or do nothing by themselves: they must not end following. */
const QUIET_KEYS = new Set(['Tab', 'Shift', 'Control', 'Alt', 'Meta', 'CapsLock']);
const ACTIVATION_KEYS = new Set(['Enter', ' ']);

/**
 * Follow mode: keep someone else's view (the part of the board they see) on our screen as they
 * scroll and zoom. Their views arrive up to ten times a second and are applied here, straight
 * to our zoom and scroll; React only hears that following started or stopped (for the banner). Any
 * input of our own (wheel, key, pointer, touch) takes the wheel back.
 */
export class Follower {
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly page: Page) {}

  /** Listens to the room (their views, their leaving); returns the cleanup. */
  watch(): () => void {
    const { client } = this.page;
    return undoAll(
      client.on('update', (user, change) => {
        if (change === 'view' && user.id === this.following) this.catchUp();
      }),
      // The departed user's last state comes with the event: the store may have let them go.
      client.on('leave', (id, user) => {
        if (id === this.following) this.stop(`${user.name} left`);
      }),
      client.on('welcome', () => {
        // After a reconnect that could not resume, the one we followed may be gone.
        const id = this.following;
        if (id !== null && !client.users.has(id)) this.stop();
      }),
      () => clearTimeout(this.noticeTimer),
    );
  }

  get following(): number | null {
    return this.page.store.getState().following;
  }

  start(id: number): void {
    clearTimeout(this.noticeTimer);
    this.page.store.actions.followStarted(id);
    // The server then sends their cursor at full rate, however crowded the room (protocol v3).
    this.page.client.follow(id);
    this.catchUp();
  }

  /** Stops following; with a notice when it ended on its own (not by our choice). */
  stop(notice?: string): void {
    if (this.following === null) return;
    const { actions } = this.page.store;
    actions.followStopped(notice ?? null);
    this.page.client.follow(null);
    clearTimeout(this.noticeTimer);
    if (notice) this.noticeTimer = setTimeout(actions.followNoticeExpired, NOTICE_MS);
  }

  /** Ends following on our own input; returns the cleanup. Installed once by the feature. */
  listen(): () => void {
    // Pressing the follow controls themselves (a name in the list, the banner's Stop) is up to
    // their buttons; ending here first would pull the button away from under the click.
    const isControl = (e: Event) =>
      e.target instanceof Element && e.target.closest('[data-follow-control]') !== null;
    const stop = (e: Event) => {
      if (!isControl(e)) this.stop();
    };
    // A wheel is scrolling wherever it turns, over the list of names too.
    const onWheel = () => this.stop();
    const onKey = (e: KeyboardEvent) => {
      if (QUIET_KEYS.has(e.key)) return;
      // Focus stays on a name after it was clicked: only the keys that press it are its own.
      if (isControl(e) && ACTIVATION_KEYS.has(e.key)) return;
      this.stop();
    };
    const options = { capture: true, passive: true };
    addEventListener('wheel', onWheel, options);
    addEventListener('pointerdown', stop, options);
    addEventListener('touchstart', stop, options);
    addEventListener('keydown', onKey, options);
    return () => {
      removeEventListener('wheel', onWheel, options);
      removeEventListener('pointerdown', stop, options);
      removeEventListener('touchstart', stop, options);
      removeEventListener('keydown', onKey, options);
    };
  }

  private catchUp(): void {
    const id = this.following;
    const view = id === null ? null : this.page.client.users.get(id)?.view;
    // Their zoom too, so we see what they see. Instant, not smooth: views come ten times a
    // second, and a smooth scroll restarted that often lags behind and never settles.
    if (view) this.page.boardView.follow(view);
  }
}
