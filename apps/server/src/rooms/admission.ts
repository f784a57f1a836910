import { CloseCode } from '@cursorline/protocol';

export interface AdmissionOptions {
  /** Seats one address may hold at once, counting seats waiting for a dropped user to resume. */
  maxSeatsPerIp: number;
  /** Users in one room, counting other nodes' users and seats in grace. */
  maxRoomUsers: number;
  /** New rooms one address may create per minute. */
  maxNewRoomsPerMin: number;
}

export interface Refusal {
  code: number;
  reason: string;
}

const MINUTE_MS = 60_000;

/**
 * Who may take a new seat. A connection cap alone is not enough: a seat outlives its connection
 * for the resume grace period, so "connect, hello, drop" in a loop would pile up seats from one
 * address without ever holding many connections. Seats are therefore charged to the address that
 * made them until the seat is really gone.
 */
export class SeatAdmission {
  private readonly seats = new Map<string, number>();
  /** Per address: when its current minute started and how many rooms it created in it. */
  private readonly newRooms = new Map<string, { since: number; count: number }>();

  constructor(private readonly options: AdmissionOptions) {}

  /** Why a new seat is refused, or null when it may be taken. Takes nothing yet. */
  check(address: string, roomSize: number | undefined): Refusal | null {
    if ((this.seats.get(address) ?? 0) >= this.options.maxSeatsPerIp) {
      return { code: CloseCode.TryAgainLater, reason: 'too many users from your address' };
    }
    if (roomSize === undefined) {
      if (!this.mayCreateRoom(address)) {
        return { code: CloseCode.SlowDown, reason: 'too many new rooms; slow down' };
      }
    } else if (roomSize >= this.options.maxRoomUsers) {
      return { code: CloseCode.RoomFull, reason: 'room full' };
    }
    return null;
  }

  /** A seat was taken by `address` (and, with `createdRoom`, a room made for it). */
  take(address: string, createdRoom: boolean): void {
    this.seats.set(address, (this.seats.get(address) ?? 0) + 1);
    if (!createdRoom) return;
    const now = performance.now();
    const window = this.newRooms.get(address);
    if (window && now - window.since < MINUTE_MS) window.count++;
    else this.newRooms.set(address, { since: now, count: 1 });
    if (this.newRooms.size > 10_000) this.forgetOldWindows(now);
  }

  /** The seat `address` took is gone (left, kicked, or its grace ran out). */
  release(address: string): void {
    const n = this.seats.get(address) ?? 0;
    if (n <= 1) this.seats.delete(address);
    else this.seats.set(address, n - 1);
  }

  seatsOf(address: string): number {
    return this.seats.get(address) ?? 0;
  }

  private mayCreateRoom(address: string): boolean {
    const window = this.newRooms.get(address);
    if (!window || performance.now() - window.since >= MINUTE_MS) return true;
    return window.count < this.options.maxNewRoomsPerMin;
  }

  /** Many addresses (IPv6 makes them cheap) must not grow this map without bound. */
  private forgetOldWindows(now: number): void {
    for (const [address, window] of this.newRooms) {
      if (now - window.since >= MINUTE_MS) this.newRooms.delete(address);
    }
  }
}
