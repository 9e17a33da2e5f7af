import { randomBytes } from "node:crypto";
import type { Principal } from "../auth/roles";
import { unauthorized } from "../errors";

/** How long a stream ticket may wait before it is used. */
export const STREAM_TICKET_TTL_MS = 60_000;

/**
 * Short-lived, single-purpose tickets for `/v1/inbox/stream`: a browser's
 * `EventSource` cannot send an `Authorization` header, and the long-lived
 * session token must not go into a URL (it ends up in logs and history). A
 * ticket opens one stream of its user, once, within a minute of being issued.
 * Tickets live in memory: a restart voids them, and the browser asks again.
 */
export class StreamTickets {
  private readonly tickets = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  issue(principal: Principal): { ticket: string; expiresAt: string } {
    this.sweep();
    const ticket = `stk_${randomBytes(24).toString("base64url")}`;
    const expiresAt = this.clock() + STREAM_TICKET_TTL_MS;
    this.tickets.set(ticket, { principal, expiresAt });
    return { ticket, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The ticket's user, striking the ticket off; a 401 `STREAM_TICKET_INVALID` for one unknown, used or expired. */
  redeem(ticket: string): Principal {
    const entry = this.tickets.get(ticket);
    this.tickets.delete(ticket);
    if (!entry || entry.expiresAt <= this.clock()) {
      throw unauthorized(
        "STREAM_TICKET_INVALID",
        "the stream ticket is unknown, used or expired: ask for a new one (POST /v1/inbox/stream-tickets)",
      );
    }
    return entry.principal;
  }

  private sweep(): void {
    const now = this.clock();
    for (const [ticket, entry] of this.tickets) if (entry.expiresAt <= now) this.tickets.delete(ticket);
  }
}
