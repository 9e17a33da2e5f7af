import { randomBytes } from "node:crypto";
import type { Principal } from "../auth/roles";
import { badRequest, conflict, notFound, forbidden } from "../errors";
import type { EvidenceKind } from "../evidence/kinds";
import type { EvidenceRecorder } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import type { UserService } from "../identity/users";
import type { MarketRepository } from "./repository";
import type { CounterpartyGate } from "../risk/gates";
import { KeyedLock } from "../util/keyedLock";
import type { ListingService } from "./listings";
import { rankMatches } from "./matching";
import type { Notifier } from "./notifications";
import type { SearchFilters } from "./search/searchIndex";
import {
  dealSubject,
  matchSubject,
  publicVersion,
  type Deal,
  type Listing,
  type MatchProposal,
  type SavedSearch,
} from "./types";
import { holdsAny, OVERSEERS, STAFF_READERS } from "../auth/policy";

/** A new listing's matches scoring at least this are told to both owners (6.4.3). */
export const NOTIFY_MATCH_SCORE = 0.5;

/**
 * Matches and deals (6.4.1–6.4.3): a listing's owner proposes a match found
 * online, or a broker records one made in person; both sides confirm or
 * decline; a confirmed match opens a deal. Users are told of proposals, answers,
 * new matching listings and listings that fit their saved searches.
 */
export class MatchService {
  private readonly lock = new KeyedLock();
  private counterparties?: CounterpartyGate;

  constructor(
    private readonly tables: MarketRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly listings: ListingService,
    private readonly notifier: Notifier,
  ) {}

  /** Asks risk control before a match is confirmed (set once at start; docs/RISK.md). */
  useRiskGate(counterparties: CounterpartyGate): void {
    this.counterparties = counterparties;
  }

  /**
   * Saved searches, read from the store once and kept in step: every publication
   * checks them all, and an iterator over the store per publication was a good
   * part of an import's time.
   */
  private saved?: Promise<Map<string, SavedSearch>>;

  private allSaved(): Promise<Map<string, SavedSearch>> {
    this.saved ??= (async () => {
      const all = new Map<string, SavedSearch>();
      for await (const search of this.tables.savedSearches.values()) all.set(search.id, search);
      return all;
    })();
    return this.saved;
  }

  /** Proposes `supplyId` × `demandId`: by the owner of either (online) or by a broker (offline, 6.4.1). */
  async propose(
    proposer: Principal,
    input: { supplyId: string; demandId: string; note?: string },
  ): Promise<MatchProposal> {
    if (proposer.kind !== "user") throw forbidden("USERS_ONLY", "matches are proposed by people");
    const [supply, demand] = await Promise.all([
      this.publicListing(input.supplyId),
      this.publicListing(input.demandId),
    ]);
    if (supply.side !== "supply" || demand.side !== "demand") {
      throw badRequest("SIDES_MISMATCH", "supplyId must name a supply listing and demandId a demand listing");
    }
    if (supply.ownerId === demand.ownerId) throw badRequest("SAME_OWNER", "both listings belong to the same account");
    const isOwner = proposer.id === supply.ownerId || proposer.id === demand.ownerId;
    const isBroker = proposer.roles.includes("broker");
    if (!isOwner && !isBroker) {
      throw forbidden("NOT_A_PARTY", "a match is proposed by the owner of one of the listings or by a broker");
    }
    assertMayTrade(await this.users.get(proposer.id));
    return this.lock.run([`pair:${supply.id}:${demand.id}`], async () => {
      const pair = `${supply.id}:${demand.id}`;
      const existing = await this.tables.matchPairs.get(pair);
      if (existing) throw conflict("MATCH_EXISTS", `these listings are already matched (${existing})`);
      const score = rankMatches(this.listings.index, publicVersion(demand)!.content, {
        limit: 1000,
        rates: this.listings.rates.converter,
      }).find((match) => match.id === supply.id)?.score;
      const id = `mat_${randomBytes(12).toString("hex")}`;
      const origin = isOwner ? "online" : "broker";
      const match = await this.commit(
        matchSubject(id),
        "match.recorded",
        {
          supply: supply.id,
          demand: demand.id,
          origin,
          proposedBy: proposer.id,
          note: input.note ?? null,
          score: score ?? null,
        },
        (recordId) => [
          {
            id,
            supplyId: supply.id,
            demandId: demand.id,
            supplierId: supply.ownerId,
            demanderId: demand.ownerId,
            origin,
            proposedBy: proposer.id,
            brokerId: origin === "broker" ? proposer.id : undefined,
            note: input.note,
            score,
            status: "proposed",
            answers: {},
            createdAt: new Date().toISOString(),
            recordId,
          } satisfies MatchProposal,
        ],
      );
      for (const userId of [supply.ownerId, demand.ownerId].filter((u) => u !== proposer.id)) {
        await this.notifier.notify(userId, {
          kind: "match.proposed",
          text: `A match was proposed: ${title(supply)} × ${title(demand)}`,
          link: `/v1/matches/${id}`,
        });
      }
      return match[0] as MatchProposal;
    });
  }

  /** A side confirms or declines (6.4.2); when both confirm, a deal opens. */
  async answer(party: Principal, id: string, accept: boolean): Promise<{ match: MatchProposal; deal?: Deal }> {
    return this.lock.run([id], async () => {
      const match = await this.visibleMatch(party, id);
      const side = party.id === match.supplierId ? "supplier" : party.id === match.demanderId ? "demander" : undefined;
      if (!side) throw forbidden("NOT_A_PARTY", "only the supplier and the demander answer a match");
      if (match.status !== "proposed") throw conflict("MATCH_CLOSED", `the match is already ${match.status}`);
      if (match.answers[side]) throw conflict("ALREADY_ANSWERED", "this side has answered already");
      if (accept) {
        assertMayTrade(await this.users.get(party.id));
        await this.counterparties?.beforeCounterparties([match.supplierId, match.demanderId]);
      }
      const now = new Date().toISOString();
      let deal: Deal | undefined;
      const [updated] = await this.commit(
        matchSubject(id),
        "match.answered",
        { side, accepted: accept, by: party.id },
        (recordId) => {
          const answers = { ...match.answers, [side]: { accepted: accept, at: now, recordId } };
          const confirmed = answers.supplier?.accepted === true && answers.demander?.accepted === true;
          const next: MatchProposal = {
            ...match,
            answers,
            status: !accept ? "declined" : confirmed ? "confirmed" : "proposed",
          };
          if (confirmed) {
            deal = {
              id: `deal_${randomBytes(12).toString("hex")}`,
              matchId: id,
              supplyId: match.supplyId,
              demandId: match.demandId,
              supplierId: match.supplierId,
              demanderId: match.demanderId,
              brokerId: match.brokerId,
              status: "negotiating",
              openedAt: now,
              recordId: "",
            };
            next.dealId = deal.id;
          }
          return [next];
        },
      );
      if (deal) {
        const opened = deal;
        await this.commit(
          dealSubject(opened.id),
          "deal.opened",
          {
            match: id,
            supply: opened.supplyId,
            demand: opened.demandId,
            supplier: opened.supplierId,
            demander: opened.demanderId,
            broker: opened.brokerId ?? null,
          },
          (recordId) => [{ ...opened, recordId }],
        );
        deal = (await this.tables.deals.get(opened.id))!;
        for (const userId of [match.supplierId, match.demanderId, match.brokerId].filter(Boolean) as string[]) {
          await this.notifier.notify(userId, {
            kind: "deal.opened",
            text: "Both sides confirmed the match: a deal is open",
            link: `/v1/deals/${opened.id}`,
          });
        }
      } else {
        const other = side === "supplier" ? match.demanderId : match.supplierId;
        await this.notifier.notify(other, {
          kind: "match.answered",
          text: `The ${side} ${accept ? "confirmed" : "declined"} the match`,
          link: `/v1/matches/${id}`,
        });
      }
      return { match: updated as MatchProposal, deal };
    });
  }

  async getMatch(viewer: Principal, id: string): Promise<MatchProposal> {
    return this.visibleMatch(viewer, id);
  }

  async getDeal(viewer: Principal, id: string): Promise<Deal> {
    const deal = await this.tables.deals.get(id);
    const privileged = holdsAny(viewer, OVERSEERS);
    if (privileged) {
      if (!deal) throw notFound("DEAL_NOT_FOUND", `no deal with id ${id}`);
      return deal;
    }
    if (!deal || ![deal.supplierId, deal.demanderId, deal.brokerId].includes(viewer.id)) {
      throw forbidden("NOT_A_PARTY", "a deal is seen by its parties and its broker (or it does not exist)");
    }
    return deal;
  }

  /** The deal `id`, or undefined: for services that decide themselves who may see it (the deal workspace). */
  async findDeal(id: string): Promise<Deal | undefined> {
    return this.tables.deals.get(id);
  }

  /** Every match and every deal, for the overseers' statistics (the route admits only them). */
  async everything(): Promise<{ matches: MatchProposal[]; deals: Deal[] }> {
    const matches: MatchProposal[] = [];
    const deals: Deal[] = [];
    for await (const match of this.tables.matches.values()) matches.push(match);
    for await (const deal of this.tables.deals.values()) deals.push(deal);
    return { matches, deals };
  }

  /** The deals `user` is a party or the broker of. */
  async dealsOf(user: Principal): Promise<Deal[]> {
    const deals: Deal[] = [];
    for await (const deal of this.tables.deals.values()) {
      if ([deal.supplierId, deal.demanderId, deal.brokerId].includes(user.id)) deals.push(deal);
    }
    return deals.sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  }

  async saveSearch(user: Principal, input: { q?: string; filters: SearchFilters }): Promise<SavedSearch> {
    if (user.kind !== "user") throw forbidden("USERS_ONLY", "searches are saved by people");
    const search: SavedSearch = {
      id: `srch_${randomBytes(8).toString("hex")}`,
      userId: user.id,
      q: input.q,
      filters: input.filters,
      createdAt: new Date().toISOString(),
    };
    await this.tables.database.write([
      { type: "put", sublevel: this.tables.savedSearches, key: search.id, value: search },
    ]);
    (await this.allSaved()).set(search.id, search);
    return search;
  }

  async savedSearches(user: Principal): Promise<SavedSearch[]> {
    const own: SavedSearch[] = [];
    for await (const search of this.tables.savedSearches.values()) if (search.userId === user.id) own.push(search);
    return own;
  }

  async deleteSearch(user: Principal, id: string): Promise<void> {
    const search = await this.tables.savedSearches.get(id);
    if (!search || search.userId !== user.id)
      throw forbidden("NOT_OWNER", "only the user who saved a search deletes it (or it does not exist)");
    await this.tables.database.write([{ type: "del", sublevel: this.tables.savedSearches, key: id }]);
    (await this.allSaved()).delete(id);
  }

  /**
   * A listing became public (6.4.3): tell the owners of listings it matches well,
   * its own owner, and users whose saved searches it fits.
   */
  async onListingPublished(listing: Listing): Promise<void> {
    const version = publicVersion(listing);
    if (!version) return;
    for (const match of rankMatches(this.listings.index, version.content, {
      limit: 20,
      exclude: listing.id,
      rates: this.listings.rates.converter,
    })) {
      if (match.score < NOTIFY_MATCH_SCORE || match.listing.ownerId === listing.ownerId) continue;
      const text = `New ${listing.side} matches your ${match.listing.content.side} (score ${match.score.toFixed(2)}): ${title(listing)}`;
      await this.notifier.notify(match.listing.ownerId, {
        kind: "listing.matched",
        text,
        link: `/v1/listings/${listing.id}`,
      });
      await this.notifier.notify(listing.ownerId, {
        kind: "listing.matched",
        text: `Your listing matches a ${match.listing.content.side} (score ${match.score.toFixed(2)})`,
        link: `/v1/listings/${match.id}`,
      });
    }
    const entry = this.listings.index.get(listing.id)!;
    for (const search of (await this.allSaved()).values()) {
      if (search.userId === listing.ownerId || !this.listings.index.passes(entry, search.filters)) continue;
      if (search.q && !this.listings.index.textScores(search.q, search.filters).scores.has(listing.id)) continue;
      await this.notifier.notify(search.userId, {
        kind: "search.matched",
        text: `A new listing fits your saved search: ${title(listing)}`,
        link: `/v1/listings/${listing.id}`,
      });
    }
  }

  private async publicListing(id: string): Promise<Listing> {
    const listing = await this.tables.listings.get(id);
    if (!listing || !publicVersion(listing)) throw badRequest("LISTING_NOT_PUBLIC", `listing ${id} is not public`);
    return listing;
  }

  private async visibleMatch(viewer: Principal, id: string): Promise<MatchProposal> {
    const match = await this.tables.matches.get(id);
    const privileged = holdsAny(viewer, STAFF_READERS);
    if (privileged) {
      if (!match) throw notFound("MATCH_NOT_FOUND", `no match with id ${id}`);
      return match;
    }
    if (!match || ![match.supplierId, match.demanderId, match.brokerId].includes(viewer.id)) {
      throw forbidden("NOT_A_PARTY", "a match is seen by its two sides and its broker (or it does not exist)");
    }
    return match;
  }

  /** Writes the objects `build` makes (matches or deals) with their evidence record, atomically. */
  private async commit(
    subject: string,
    kind: EvidenceKind,
    data: Record<string, unknown>,
    build: (recordId: string) => Array<MatchProposal | Deal>,
  ): Promise<Array<MatchProposal | Deal>> {
    return this.recorder.write(async (unit) => {
      const record = await unit.seal({ kind, subject, data });
      const written = build(record.header.id);
      for (const object of written) {
        if (object.id.startsWith("deal_")) {
          unit.put(this.tables.deals, object.id, object as Deal);
          continue;
        }
        const match = object as MatchProposal;
        const pair = `${match.supplyId}:${match.demandId}`;
        unit.put(this.tables.matches, match.id, match);
        // A declined match frees its pair to be proposed again.
        if (match.status === "declined") unit.del(this.tables.matchPairs, pair);
        else unit.put(this.tables.matchPairs, pair, match.id);
      }
      return written;
    });
  }
}

/**
 * A listing's title as the public sees it: from its approved version, never from
 * an edit still waiting for review (which notifications would otherwise publish).
 */
const title = (listing: Listing) => {
  const content = publicVersion(listing)?.content;
  if (!content) return `listing ${listing.id}`;
  return content.title[content.language] ?? Object.values(content.title)[0];
};
