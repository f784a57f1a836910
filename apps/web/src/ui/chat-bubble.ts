/** How long a chat message stays beside a cursor. */
export const CHAT_SHOW_MS = 5000;

/**
 * A chat bubble beside a cursor (someone else's, or our own pointer): shows a message for a few
 * seconds, then fades out. The text only ever goes in through textContent, so a message that
 * looks like markup stays text.
 */
export class ChatBubble {
  readonly el: HTMLDivElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `owner` (a cursor) gets data-chatting while the bubble shows, for CSS without :has(). */
  constructor(
    testid: string,
    private readonly owner?: HTMLElement,
  ) {
    this.el = document.createElement('div');
    this.el.className = 'cursor-chat';
    this.el.dataset.testid = testid;
    this.el.hidden = true;
  }

  /** Shows the message (restarting the clock); '' takes the bubble down at once. */
  say(text: string): void {
    clearTimeout(this.timer);
    if (text === '') {
      this.clear();
      return;
    }
    this.el.textContent = text;
    this.el.hidden = false;
    if (this.owner) this.owner.dataset.chatting = 'true';
    // Restart the fade animation for a second message in a row.
    this.el.classList.remove('fading');
    void this.el.offsetWidth;
    this.el.classList.add('fading');
    this.timer = setTimeout(() => this.clear(), CHAT_SHOW_MS);
  }

  get showing(): boolean {
    return !this.el.hidden;
  }

  clear(): void {
    clearTimeout(this.timer);
    this.el.hidden = true;
    this.el.textContent = '';
    this.el.classList.remove('fading');
    if (this.owner) delete this.owner.dataset.chatting;
  }
}
