import { randomBytes } from "node:crypto";
import type { Principal } from "../auth/roles";
import { unauthorized } from "../errors";

/** How long a statistics page ticket opens the page. */
export const STATISTICS_TICKET_TTL_MS = 15 * 60_000;

/**
 * Tickets that open the `/statistics` page (and its CSV link) in a browser: a
 * link a browser follows cannot carry the `Authorization` header, and the bearer
 * token must not go into a URL (it ends up in history and logs). A ticket is
 * issued to the auditor or the operator on `POST /v1/statistics/page-tickets`,
 * opens the page as them for 15 minutes (as often as they change the period; a
 * ticket read from a log later is dead), and opens nothing else: only the
 * statistics routes redeem it. Tickets live in memory: a restart voids them.
 */
export class StatisticsPageTickets {
  private readonly tickets = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  issue(principal: Principal): { ticket: string; expiresAt: string; url: string } {
    this.sweep();
    const ticket = `sptk_${randomBytes(24).toString("base64url")}`;
    const expiresAt = this.clock() + STATISTICS_TICKET_TTL_MS;
    this.tickets.set(ticket, { principal, expiresAt });
    return { ticket, expiresAt: new Date(expiresAt).toISOString(), url: `/statistics?ticket=${ticket}` };
  }

  /** The ticket's caller; a 401 `STATISTICS_TICKET_INVALID` for a ticket unknown or expired. */
  redeem(ticket: string): Principal {
    const entry = this.tickets.get(ticket);
    if (!entry || entry.expiresAt <= this.clock()) {
      this.tickets.delete(ticket);
      throw unauthorized(
        "STATISTICS_TICKET_INVALID",
        "the statistics ticket is unknown or expired: ask for a new one (POST /v1/statistics/page-tickets)",
      );
    }
    return entry.principal;
  }

  private sweep(): void {
    const now = this.clock();
    for (const [ticket, entry] of this.tickets) if (entry.expiresAt <= now) this.tickets.delete(ticket);
  }
}
