import { describe, expect, it } from 'vitest';
import {
  BACKPLANE_VERSION,
  encodeEnvelope,
  Inbox,
  type RoomEvent,
  RoomEventSchema,
} from '../src/backplane/messages.ts';
import { userState } from './user-state.ts';

/** The node-to-node envelope and schemas on their own (the real-Redis side: test/redis/backplane-trust). */
const user = userState(42, 'Ada', { at: { x: 10, y: 20 }, view: { x: 0, y: 0, w: 800, h: 500 } });

const events: RoomEvent[] = [
  { t: 'join', user },
  { t: 'leave', id: 42 },
  { t: 'update', user: { ...user, state: 'away' } },
  { t: 'relay', id: 42, msg: { t: 'chat', text: 'hi' } },
  { t: 'relay', id: 42, msg: { t: 'react', emoji: '🎉' } },
  { t: 'cursors', batch: 'C' },
  { t: 'hello' },
  { t: 'members', users: [user, { ...user, id: 43, bot: true }] },
  { t: 'adopt', user, from: 'a1b2c3d4' },
];

describe('backplane messages', () => {
  it('every room event survives its envelope unchanged, one schema for all', () => {
    const inbox = new Inbox();
    for (const event of events) expect(inbox.roomEvent(encodeEnvelope(event))).toEqual(event);
    expect(inbox.rejected).toEqual({ version: 0, malformed: 0 });
    // Every kind of event the schema knows is covered above.
    expect(new Set(events.map((e) => e.t))).toEqual(
      new Set(RoomEventSchema.options.map((o) => o.shape.t.value)),
    );
  });

  it('drops another version without reading it, and says so once', () => {
    const warnings: unknown[] = [];
    const inbox = new Inbox((why, v) => warnings.push([why, v]));
    const newer = JSON.stringify({ v: BACKPLANE_VERSION + 1, body: { t: 'leave', id: 42 } });
    expect(inbox.roomEvent(newer)).toBeUndefined();
    expect(inbox.roomEvent(newer)).toBeUndefined();
    expect(inbox.rejected).toEqual({ version: 2, malformed: 0 });
    expect(warnings).toEqual([['version', BACKPLANE_VERSION + 1]]);
  });

  it('drops what is not a valid message, and says so once', () => {
    const warnings: unknown[] = [];
    const inbox = new Inbox((why) => warnings.push(why));
    const bad = [
      '',
      'null',
      '[1]',
      '{"t":"leave","id":42}',
      JSON.stringify({ v: 1 }),
      JSON.stringify({ v: 1, body: { t: 'leave', id: 0 } }),
      JSON.stringify({ v: 1, body: { t: 'join', user: { ...user, color: 'red' } } }),
      JSON.stringify({ v: 1, body: { t: 'relay', id: 42, msg: { t: 'bye' } } }),
      JSON.stringify({ v: 1, body: { t: 'members', users: [{ ...user, name: '' }] } }),
    ];
    for (const raw of bad) expect(inbox.roomEvent(raw)).toBeUndefined();
    expect(inbox.rejected).toEqual({ version: 0, malformed: bad.length });
    expect(warnings).toEqual(['malformed']);
  });

  it('checks node events and held seats with their own schemas', () => {
    const inbox = new Inbox();
    const token = 'A'.repeat(22);
    expect(inbox.nodeEvent(encodeEnvelope({ t: 'leave', token }))).toEqual({ t: 'leave', token });
    expect(inbox.nodeEvent(encodeEnvelope({ t: 'leave', token: '../x' }))).toBeUndefined();
    const seat = { room: 'r', user, node: 'a1b2c3d4' };
    expect(inbox.heldSeat(encodeEnvelope(seat))).toEqual(seat);
    expect(inbox.heldSeat(encodeEnvelope({ ...seat, room: 'no spaces' }))).toBeUndefined();
    expect(inbox.rejected.malformed).toBe(2);
  });
});
