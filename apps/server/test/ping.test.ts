import { CloseCode, MESSAGE_RATES, PROTOCOL_VERSION } from '@cursorline/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOf, type Running, rawWs, serverWithTwo, type TestUser, waitFor } from './helpers.ts';

/**
 * The ping (docs/recipes/add-a-message.md): a relayed message added with one schema and one
 * handler-table entry. Real server, real clients on both transports.
 */
let running: Running;
let ada: TestUser;
let bob: TestUser;
let close: () => Promise<void>;
const pingsOf = (user: TestUser) => {
  const got: { id: number; at: { x: number; y: number } }[] = [];
  user.client.onRelay('ping', ({ id, at }) => got.push({ id, at }));
  return got;
};

beforeAll(async () => {
  ({ running, a: ada, b: bob, close } = await serverWithTwo('ping', ['Ada', 'Bob']));
});
afterAll(() => close());

describe('ping', () => {
  it("reaches everyone else with the sender's id, not the sender", async () => {
    const atBob = pingsOf(bob);
    const atAda = pingsOf(ada);
    ada.client.send({ t: 'ping', at: { x: 120, y: 340 } });
    await waitFor(() => atBob.length === 1, 'Bob to get the ping');
    expect(atBob).toEqual([{ id: idOf(ada), at: { x: 120, y: 340 } }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(atAda).toEqual([]);
  });

  it('is limited as MESSAGE_RATES says: a burst past it is dropped, not relayed', async () => {
    const atAda = pingsOf(ada);
    // Over a raw socket: the client library would not send an invalid or excess ping at all.
    const { ws, closed } = await rawWs(running.url);
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'ping', name: 'Eve' }));
    // Relays come only from people the client knows (PROTOCOL.md): wait for Eve's join first.
    const knowsEve = () => [...ada.client.users.values()].some((u) => u.name === 'Eve');
    await waitFor(knowsEve, 'Ada to see Eve arrive');
    for (let i = 0; i < 20; i++) ws.send(JSON.stringify({ t: 'ping', at: { x: i, y: i } }));
    await new Promise((r) => setTimeout(r, 300));
    expect(atAda.length).toBe(MESSAGE_RATES.ping.burst);
    // Dropped, not punished: a person clicking fast keeps the connection.
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close();
    await closed;
  });

  it('a ping off the board closes the sender with 1008 and reaches nobody', async () => {
    const atAda = pingsOf(ada);
    const { ws, closed } = await rawWs(running.url);
    ws.send(JSON.stringify({ t: 'hello', v: PROTOCOL_VERSION, room: 'ping', name: 'Mallory' }));
    ws.send(JSON.stringify({ t: 'ping', at: { x: -5, y: 1e9 } }));
    expect((await closed).code).toBe(CloseCode.PolicyViolation);
    await new Promise((r) => setTimeout(r, 100));
    expect(atAda).toEqual([]);
  });
});
