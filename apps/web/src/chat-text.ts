import { ChatTextSchema } from '@cursorline/protocol';

// The characters the server refuses in chat (the same rule as names in protocol/messages.ts).
const UNSAFE_CHARS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * What to send for what the user typed: control characters (a pasted tab, say) become spaces,
 * since the server answers a chat it refuses by closing the connection for good. The result is
 * trimmed; null when it still breaks the rules (too long). '' means "clear my bubble".
 */
export function cleanChat(input: string): string | null {
  const parsed = ChatTextSchema.safeParse(input.replace(UNSAFE_CHARS, ' '));
  return parsed.success ? parsed.data : null;
}
