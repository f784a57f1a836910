import { ChatTextSchema, replaceUnsafe } from '@cursorline/protocol';

/**
 * What to send for what the user typed: the characters the server refuses (a pasted tab, a
 * zero-width space, say) become spaces by the protocol's own rules (replaceUnsafe, the same
 * the server checks with), since the server answers a chat it refuses by closing the
 * connection for good. The result is trimmed; null when it still breaks the rules (too long).
 * '' means "clear my bubble".
 */
export function cleanChat(input: string): string | null {
  const parsed = ChatTextSchema.safeParse(replaceUnsafe(input));
  return parsed.success ? parsed.data : null;
}
