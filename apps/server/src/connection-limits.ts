/**
 * Caps on open connections, in total and per client address, so one host (or a flood) cannot
 * take every file descriptor. Transports ask before accepting and tell when a connection ends.
 *
 * Behind a reverse proxy every client has the proxy's address: raise the per-address cap there
 * and let the proxy limit per client.
 */
export class ConnectionLimits {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly maxPerAddress: number,
  ) {}

  tryAdmit(address: string): boolean {
    const mine = this.perAddress.get(address) ?? 0;
    if (this.total >= this.max || mine >= this.maxPerAddress) return false;
    this.total++;
    this.perAddress.set(address, mine + 1);
    return true;
  }

  release(address: string): void {
    const mine = this.perAddress.get(address) ?? 0;
    if (mine <= 0) return;
    this.total--;
    if (mine === 1) this.perAddress.delete(address);
    else this.perAddress.set(address, mine - 1);
  }

  get open(): number {
    return this.total;
  }
}
