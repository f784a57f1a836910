import { RoomSchema } from '@cursorline/protocol';
import { describe, expect, it } from 'vitest';
import { readParams, shareLink, withRoom } from './params.ts';
import { randomRoomName } from './room-name.ts';

const fixed = () => 'brave-otter-42';

describe('readParams', () => {
  it('makes up a new room, transport auto, when none is given', () => {
    expect(readParams('', fixed)).toEqual({
      room: 'brave-otter-42',
      roomIsNew: true,
      transport: 'auto',
    });
  });

  it('reads room and transport', () => {
    expect(readParams('?room=team_1-a&transport=sockjs', fixed)).toEqual({
      room: 'team_1-a',
      roomIsNew: false,
      transport: 'sockjs',
    });
  });

  it('makes up a new room instead of one the server would refuse', () => {
    expect(readParams('?room=a%20b', fixed)).toMatchObject({
      room: 'brave-otter-42',
      roomIsNew: true,
    });
    expect(readParams('?room=', fixed).room).toBe('brave-otter-42');
    expect(readParams(`?room=${'x'.repeat(65)}`, fixed).room).toBe('brave-otter-42');
    expect(readParams(`?room=${'x'.repeat(64)}`, fixed).room).toBe('x'.repeat(64));
  });

  it('generates a valid room by default', () => {
    const { room } = readParams('');
    expect(RoomSchema.safeParse(room).success).toBe(true);
  });

  it('treats an unknown transport as auto', () => {
    expect(readParams('?transport=carrier-pigeon', fixed).transport).toBe('auto');
  });

  it('forces ws only when asked', () => {
    expect(readParams('?room=a&transport=ws', fixed).transport).toBe('ws');
  });

  it('forcing a SockJS fallback implies SockJS', () => {
    expect(readParams('?room=a&sockjs=xhr-polling', fixed)).toEqual({
      room: 'a',
      roomIsNew: false,
      transport: 'sockjs',
      sockjsTransports: ['xhr-polling'],
    });
  });

  it('ignores an unknown SockJS fallback', () => {
    expect(readParams('?room=a&sockjs=flash&transport=sockjs', fixed)).toEqual({
      room: 'a',
      roomIsNew: false,
      transport: 'sockjs',
    });
  });
});

describe('randomRoomName', () => {
  it('is words and a number, and always a valid room', () => {
    for (let i = 0; i < 200; i++) {
      const name = randomRoomName();
      expect(name).toMatch(/^[a-z]+-[a-z]+-\d{2}$/);
      expect(RoomSchema.safeParse(name).success).toBe(true);
    }
  });

  it('covers the ends of the random range', () => {
    expect(randomRoomName(() => 0)).toBe('amber-badger-10');
    expect(randomRoomName(() => 0.9999)).toBe('witty-walrus-99');
  });
});

describe('withRoom', () => {
  it('adds the room and keeps the other parameters', () => {
    expect(withRoom('http://h:1/?transport=sockjs#x', 'swift-otter-42')).toBe(
      'http://h:1/?transport=sockjs&room=swift-otter-42#x',
    );
  });

  it('replaces a bad room', () => {
    expect(withRoom('http://h/?room=a%20b&sockjs=xhr-polling', 'ok')).toBe(
      'http://h/?room=ok&sockjs=xhr-polling',
    );
  });
});

describe('shareLink', () => {
  it('is the room alone, without transport choices', () => {
    expect(shareLink('http://h:1/app/?room=demo&sockjs=xhr-polling#top', 'demo')).toBe(
      'http://h:1/app/?room=demo',
    );
  });
});
