import { PALETTE, type UserState } from '@cursorline/protocol';

/**
 * Colour choice, apart from the room so the rule is easy to find and to test: the least used
 * palette colour, first in palette order on a tie, so colours stay distinct until the palette
 * runs out (the palette is ordered so that colours handed out one after the other are far apart).
 */
export function pickColor(users: Iterable<UserState>): string {
  const uses = new Map<string, number>(PALETTE.map((c) => [c, 0]));
  for (const user of users) uses.set(user.color, (uses.get(user.color) ?? 0) + 1);
  let best: string = PALETTE[0];
  for (const [color, n] of uses) if (n < (uses.get(best) ?? 0)) best = color;
  return best;
}
