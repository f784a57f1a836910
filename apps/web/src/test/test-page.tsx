import type { UserState } from '@cursorline/protocol';
import { cleanup, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach } from 'vitest';
import type { Feature, Page } from '../core/feature.ts';
import { startPage } from '../core/page.ts';
import { PageProvider } from '../core/page-context.tsx';
import { FEATURES } from '../features/index.ts';
import { FakeClient } from './fake-client.ts';

/** A real page (startPage, the real store and features) over a FakeClient, in room "test". */
export function testPage(features: readonly Feature<unknown>[] = FEATURES): {
  page: Page;
  client: FakeClient;
} {
  const client = new FakeClient();
  const page = startPage({
    features,
    connect: () => client,
    quiet: true,
    location: {
      search: '?room=test',
      href: 'http://127.0.0.1/?room=test',
      origin: 'http://127.0.0.1',
    },
  });
  pages.push(page);
  return { page, client };
}

const pages: Page[] = [];
afterEach(() => {
  cleanup();
  for (const page of pages.splice(0)) page.stop();
  localStorage.clear();
});

/** Renders `ui` inside the page's context, as main.tsx does for the whole app. */
export function renderInPage(page: Page, ui: ReactNode) {
  return render(<PageProvider page={page}>{ui}</PageProvider>);
}

export const SELF = { id: 1, name: 'Me', color: '#c62828' };

export function someone(id: number, name: string, extra: Partial<UserState> = {}): UserState {
  return {
    id,
    name,
    color: '#1565c0',
    at: null,
    state: 'active',
    pointer: { kind: 'mouse', pressed: false },
    view: null,
    ...extra,
  };
}

/** The server welcomes us into a room with these users (as the real client would report it). */
export function welcome(client: FakeClient, users: UserState[]): void {
  client.users = new Map(users.map((u) => [u.id, u]));
  client.emit('status', 'open', { transport: 'ws' });
  client.emit('welcome', SELF, users, false);
}
