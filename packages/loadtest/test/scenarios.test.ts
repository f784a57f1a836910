import { describe, expect, it } from 'vitest';
import { loadKey, loadScenario, makePlan } from '../src/scenarios.ts';

const options = { quick: false, measureS: 10, warmupS: 3, observers: 20 };

describe('loadKey', () => {
  it('keeps the one-server keys the targets look for', () => {
    expect(loadKey(500, 500, 'ws', 'tick', 1, 30)).toBe('one-room/ws/tick/500');
    expect(loadKey(1000, 20, 'ws', 'tick', 1, 30)).toBe('rooms-of-20/ws/tick/1000');
  });

  it('names other node counts and rates, so they are never mistaken for those', () => {
    expect(loadKey(500, 500, 'ws', 'tick', 2, 30)).toBe('2-nodes/one-room/ws/tick/500');
    expect(loadKey(100, 100, 'ws', 'tick', 1, 20)).toBe('one-room/ws/tick/100@20hz');
    expect(loadScenario('nodes', 100, 100, 'ws', 'tick', options, 2, 20)).toMatchObject({
      key: '2-nodes/one-room/ws/tick/100@20hz',
      nodes: 2,
      rate: 20,
    });
  });
});

describe('nodes plan', () => {
  it('compares 100 and 500 users in one room at 30 Hz by default, 50 when quick', () => {
    expect(makePlan(options).nodes).toEqual([
      { users: 100, roomSize: 100, rate: 30 },
      { users: 500, roomSize: 500, rate: 30 },
    ]);
    expect(makePlan({ ...options, quick: true }).nodes).toEqual([
      { users: 50, roomSize: 50, rate: 30 },
    ]);
  });

  it('takes other sizes and rates, and rooms of 20 on request', () => {
    expect(makePlan({ ...options, nodeSizes: [250], nodeRate: 20, nodeRooms: true }).nodes).toEqual(
      [
        { users: 250, roomSize: 250, rate: 20 },
        { users: 1000, roomSize: 20, rate: 20 },
      ],
    );
  });
});
