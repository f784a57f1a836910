import type { UserState } from '@cursorline/protocol';

/** A user as a node would publish it, for tests that stand in for another node. */
export const userState = (id: number, name: string, more: Partial<UserState> = {}): UserState => ({
  id,
  name,
  color: '#108563',
  at: null,
  state: 'active',
  pointer: { kind: 'mouse', pressed: false },
  view: null,
  ...more,
});
