import {
  type ClientEvents,
  type Relayed,
  type RelayedType,
  relayListener,
} from '@cursorline/client';
import type { ClientJson, Point, Pointer, Reaction, UserState, View } from '@cursorline/protocol';
import type { PageClient } from '../core/feature.ts';

type Listener = (...args: unknown[]) => void;

/**
 * A stand-in for PresenceClient with exactly what the page uses (PageClient): it records what
 * the page sends and lets a test play the server's side by emitting client events. Component
 * tests render real components on a real page (startPage) over this.
 */
export class FakeClient implements PageClient {
  users = new Map<number, UserState>();
  token: string | undefined = undefined;
  /** Every call the page made that would reach the server, in order. */
  readonly calls: { method: string; args: unknown[] }[] = [];
  private readonly listeners = new Map<keyof ClientEvents, Set<Listener>>();

  on<K extends keyof ClientEvents>(event: K, fn: ClientEvents[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const listener = fn as Listener;
    set.add(listener);
    return () => set.delete(listener);
  }

  onRelay<T extends RelayedType>(type: T, fn: (msg: Relayed<T>) => void): () => void {
    return this.on('relay', relayListener(type, fn));
  }

  /** Plays the server: tells the page's listeners what the real client would. */
  emit<K extends keyof ClientEvents>(event: K, ...args: Parameters<ClientEvents[K]>): void {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }

  /** How many listeners the page has on the client now (0 after page.stop()). */
  get listening(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** The arguments of every call to one method. */
  sent(method: string): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  send(msg: ClientJson): boolean {
    this.record('send', msg);
    return true;
  }
  move(at: Point | null): void {
    this.record('move', at);
  }
  setName(name: string): boolean {
    this.record('setName', name);
    return true;
  }
  setActivity(activity: 'active' | 'idle' | 'away'): void {
    this.record('setActivity', activity);
  }
  setPointer(pointer: Pointer): void {
    this.record('setPointer', pointer);
  }
  setView(view: View): void {
    this.record('setView', view);
  }
  follow(id: number | null): void {
    this.record('follow', id);
  }
  chat(text: string): boolean {
    this.record('chat', text);
    return true;
  }
  react(emoji: Reaction): void {
    this.record('react', emoji);
  }
  reconnectNow(): void {
    this.record('reconnectNow');
  }
  close(): void {
    this.record('close');
  }
}
