/** @module http/handlers/reverse-proxy/upstream: an upstream and its health and load counters. */
import { splitHostPort } from '../../request.js';

/** One upstream (a dial address) with its runtime state. */
export class UpstreamHost {
  /** Requests in flight. */
  inFlight = 0;
  /** Failure timestamps counted by passive health checks. */
  private failTimes: number[] = [];
  /** Set by active health checks; starts healthy. */
  activeHealthy = true;
  readonly host: string;
  readonly port: number;

  /**
   * @param dial the address to connect to (network prefix removed)
   * @param name the dial address as configured, which Caddy's hashing policies hash (defaults to `dial`)
   */
  constructor(
    readonly dial: string,
    readonly maxRequests: number,
    defaultPort: number,
    readonly name = dial,
  ) {
    const [h, p] = splitHostPort(dial);
    this.host = h;
    this.port = p ? Number(p) : defaultPort;
  }

  /** Records a failure that counts for `durationMs`. */
  countFail(durationMs: number): void {
    if (durationMs <= 0) return;
    const now = Date.now();
    this.failTimes.push(now + durationMs);
  }

  /** Current failures still within their window. */
  fails(): number {
    const now = Date.now();
    if (this.failTimes.length && this.failTimes[0]! <= now) this.failTimes = this.failTimes.filter((t) => t > now);
    return this.failTimes.length;
  }

  /** Whether the upstream may take a request now. */
  available(maxFails: number, unhealthyRequestCount: number): boolean {
    if (!this.activeHealthy) return false;
    if (maxFails > 0 && this.fails() >= maxFails) return false;
    if (unhealthyRequestCount > 0 && this.inFlight >= unhealthyRequestCount) return false;
    if (this.maxRequests > 0 && this.inFlight >= this.maxRequests) return false;
    return true;
  }
}
