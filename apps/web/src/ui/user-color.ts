import { PALETTE_DARK } from '@cursorline/protocol';
import type { CSSProperties } from 'react';

/**
 * A user's color in both themes. The server sends the light variant; the dark one comes from
 * PALETTE_DARK. Both go on the element as custom properties, and styles.css picks one by the
 * theme (`--cursor-color`, with `--cursor-ink` for text on it), so a theme switch needs no
 * JavaScript.
 */
export function userColors(color: string): { light: string; dark: string } {
  return { light: color, dark: (PALETTE_DARK as Record<string, string>)[color] ?? color };
}

/** For elements drawn outside React (cursors, markers). */
export function paintUser(el: HTMLElement, color: string): void {
  const { light, dark } = userColors(color);
  el.classList.add('tinted');
  el.style.setProperty('--user-light', light);
  el.style.setProperty('--user-dark', dark);
}

/** For React elements: add className "tinted" as well. */
export function userStyle(color: string): CSSProperties {
  const { light, dark } = userColors(color);
  return { '--user-light': light, '--user-dark': dark } as CSSProperties;
}
