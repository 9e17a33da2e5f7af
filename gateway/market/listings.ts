import { randomBytes } from "node:crypto";
import type { Principal } from "../auth/roles";
import { badRequest, conflict, notFound, forbidden } from "../errors";
import type { EvidenceKind } from "../evidence/kinds";
import type { EvidenceRecorder } from "../evidence/recorder";
import { assertMayTrade } from "../identity/eligibility";
import type { UserService } from "../identity/users";
import { type BatchOperation } from "../store/database";
import type { MarketRepository } from "./repository";
import { KeyedLock } from "../util/keyedLock";
import { ExchangeRates } from "./exchangeRates";
import { ListingImports } from "./imports";
import { rankMatches, type Match } from "./matching";
import { crossFieldProblems } from "./schemas";
import { SearchIndex, type IndexedListing, type SearchFilters } from "./search/searchIndex";
import {
  listingSubject,
  publicVersion,
  type Listing,
  type ListingContent,
  type ListingVersion,
  type RejectionReason,
} from "./types";
import { holdsAny, STAFF_READERS } from "../auth/policy";

const notPublic = () => forbidden("LISTING_NOT_PUBLIC", "this listing is not public (or does not exist)");

/** Staff see every listing whole: review and administration. */
const seesAll = (viewer: Principal | undefined) => holdsAny(viewer, STAFF_READERS);

/**
 * Listings of supply and demand (clause 6.3): publishing by certified suppliers
 * and demanders, review, versions, withdrawal, and the two levels of disclosure;
 * plus search and matching over what is public (6.4.1). Every step is an
 * evidence record of the listing's subject, written with the change.
 */
export class ListingService {
  readonly index = new SearchIndex();
  /** The operator's exchange rates, which matching's price fit converts with. */
  readonly rates: ExchangeRates;
  /** Catalogue imports by the operator, published through {@link submit}. */
  readonly imports: ListingImports;
  private readonly lock = new KeyedLock();
  private readonly publishedListeners: Array<(listing: Listing) => Promise<void>> = [];

  constructor(
    private readonly tables: MarketRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly users: UserService,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.rates = new ExchangeRates(tables, recorder, clock);
    this.imports = new ListingImports(tables, recorder, users, this, clock);
  }

  /** Calls `listener` (after the write) each time a listing version becomes public. */
  onPublished(listener: (listing: Listing) => Promise<void>): void {
    this.publishedListeners.push(listener);
  }

  /** Builds the search index from the store. */
  async init(): Promise<void> {
    await this.rates.init();
    for await (const listing of this.tables.listings.values()) this.index.update(listing);
  }

  /**
   * Publishes a listing for review. Only certified accounts holding the side's
   * role (supplier, demander) publish (6.3.1). `alongside` goes into the same
   * atomic write (an import's line marker, so a resumed import never publishes twice).
   */
  async submit(
    owner: Principal,
    content: ListingContent,
    { alongside = () => [] }: { alongside?: (listingId: string) => BatchOperation[] } = {},
  ): Promise<Listing> {
    await this.assertMayPublish(owner, content.side);
    const now = this.clock().toISOString();
    const listing: Listing = {
      id: `lst_${randomBytes(12).toString("hex")}`,
      side: content.side,
      ownerId: owner.id,
      status: "submitted",
      versions: [],
      accessRequests: [],
      createdAt: now,
      updatedAt: now,
    };
    return this.commit(
      listing.id,
      "listing.submitted",
      versionRecord(content, 1),
      (recordId) => ({
        ...listing,
        versions: [{ version: 1, content, submittedAt: now, recordId }],
      }),
      alongside(listing.id),
    );
  }

  /** A new version (6.3.3: edits make new versions, history kept); it goes to review, the approved one stays public. */
  async edit(owner: Principal, id: string, content: ListingContent): Promise<Listing> {
    return this.lock.run([id], async () => {
      const listing = await this.owned(owner, id);
      if (listing.status === "withdrawn") throw conflict("LISTING_WITHDRAWN", "a withdrawn listing cannot be edited");
      if (content.side !== listing.side)
        throw badRequest("SIDE_CHANGED", `this listing is a ${listing.side}; publish a new one instead`);
      await this.assertMayPublish(owner, content.side);
      const version = listing.versions.length + 1;
      const now = this.clock().toISOString();
      return this.commit(id, "listing.submitted", versionRecord(content, version), (recordId) => ({
        ...listing,
        status: "submitted",
        versions: [...listing.versions, { version, content, submittedAt: now, recordId }],
        updatedAt: now,
      }));
    });
  }

  async withdraw(owner: Principal, id: string, reason?: string): Promise<Listing> {
    return this.lock.run([id], async () => {
      const listing = await this.owned(owner, id);
      if (listing.status === "withdrawn") throw conflict("LISTING_WITHDRAWN", "the listing is already withdrawn");
      const now = this.clock().toISOString();
      return this.commit(id, "listing.withdrawn", { reason: reason ?? null }, () => ({
        ...listing,
        status: "withdrawn",
        updatedAt: now,
      }));
    });
  }

  /** A reviewer's decision on the latest version (6.3.3). */
  async review(
    reviewer: Principal,
    id: string,
    decision: { approved: boolean; reasons: RejectionReason[]; note?: string },
  ): Promise<Listing> {
    const reviewed = await this.decide(reviewer, id, decision);
    if (decision.approved) {
      // Telling people is not part of the decision: a failure here is logged, not undone.
      for (const listener of this.publishedListeners) await listener(reviewed).catch(() => undefined);
    }
    return reviewed;
  }

  private async decide(
    reviewer: Principal,
    id: string,
    decision: { approved: boolean; reasons: RejectionReason[]; note?: string },
  ): Promise<Listing> {
    if (!decision.approved && decision.reasons.length === 0) {
      throw badRequest(
        "REASON_REQUIRED",
        "a rejection names at least one reason: incomplete, uncertified-owner, duplicate, forbidden-content",
      );
    }
    if (decision.approved && decision.reasons.length > 0)
      throw badRequest("REASONS_NOT_EXPECTED", "an approval takes no rejection reasons");
    return this.lock.run([id], async () => {
      const listing = await this.get(id);
      if (listing.ownerId === reviewer.id) throw forbidden("SELF_REVIEW", "a reviewer cannot review their own listing");
      if (listing.status !== "submitted")
        throw conflict("NOT_SUBMITTED", `the listing is ${listing.status}, not waiting for review`);
      const latest = listing.versions[listing.versions.length - 1];
      const now = this.clock().toISOString();
      return this.commit(
        id,
        "listing.reviewed",
        {
          version: latest.version,
          approved: decision.approved,
          reasons: decision.reasons,
          note: decision.note ?? null,
          reviewer: reviewer.id,
        },
        (recordId) => {
          const reviewed: ListingVersion = { ...latest, review: { ...decision, by: reviewer.id, at: now, recordId } };
          return {
            ...listing,
            status: decision.approved ? "approved" : "rejected",
            approvedVersion: decision.approved ? latest.version : listing.approvedVersion,
            versions: [...listing.versions.slice(0, -1), reviewed],
            updatedAt: now,
          };
        },
      );
    });
  }

  /** A certified user asks the owner to see a public listing's details (6.3.2). */
  async requestAccess(requester: Principal, id: string, message?: string): Promise<{ requestId: string }> {
    if (requester.kind !== "user") throw forbidden("USERS_ONLY", "access to details is requested by a person");
    assertMayTrade(await this.users.get(requester.id));
    return this.lock.run([id], async () => {
      const listing = await this.visible(requester, id);
      if (listing.ownerId === requester.id) throw conflict("OWN_LISTING", "the owner sees the details already");
      const existing = listing.accessRequests.find((request) => request.userId === requester.id);
      if (existing) return { requestId: existing.id };
      const request = {
        id: `acr_${randomBytes(8).toString("hex")}`,
        userId: requester.id,
        message,
        requestedAt: this.clock().toISOString(),
      };
      await this.tables.database.write([
        {
          type: "put",
          sublevel: this.tables.listings,
          key: id,
          value: { ...listing, accessRequests: [...listing.accessRequests, request] },
        },
      ]);
      return { requestId: request.id };
    });
  }

  /** The owner grants a request; the grant is a record (6.3.2). */
  async grantAccess(owner: Principal, id: string, requestId: string): Promise<Listing> {
    return this.lock.run([id], async () => {
      const listing = await this.owned(owner, id);
      const request = listing.accessRequests.find((r) => r.id === requestId);
      if (!request) throw notFound("ACCESS_REQUEST_NOT_FOUND", `no access request ${requestId} on this listing`);
      if (request.grantedAt) throw conflict("ALREADY_GRANTED", "this request was already granted");
      const now = this.clock().toISOString();
      return this.commit(
        id,
        "listing.access.granted",
        { grantee: request.userId, request: request.id },
        (recordId) => ({
          ...listing,
          accessRequests: listing.accessRequests.map((r) =>
            r.id === requestId ? { ...r, grantedAt: now, recordId } : r,
          ),
          updatedAt: now,
        }),
      );
    });
  }

  /**
   * Once a deal opens, its counter-party reads the listing's NDA-gated details
   * (6.3.2, 6.5): the grant is a record of the listing naming the deal. Granting
   * twice keeps the first grant.
   */
  async grantForDeal(id: string, granteeId: string, dealId: string): Promise<{ recordId: string }> {
    return this.lock.run([id], async () => {
      const listing = await this.get(id);
      const existing = listing.accessRequests.find((r) => r.userId === granteeId && r.grantedAt);
      if (existing) return { recordId: existing.recordId! };
      const now = this.clock().toISOString();
      let recordId = "";
      await this.commit(id, "listing.access.granted", { grantee: granteeId, deal: dealId }, (rid) => {
        recordId = rid;
        const request = {
          id: `acr_${randomBytes(8).toString("hex")}`,
          userId: granteeId,
          message: `deal ${dealId} opened`,
          requestedAt: now,
          grantedAt: now,
          recordId: rid,
        };
        const others = listing.accessRequests.filter((r) => r.userId !== granteeId);
        return { ...listing, accessRequests: [...others, request], updatedAt: now };
      });
      return { recordId };
    });
  }

  /** What `viewer` may see of a listing: the public part, the details too, or everything with history. */
  async view(viewer: Principal | undefined, id: string) {
    const listing = await this.visible(viewer, id);
    const whole = viewer?.id === listing.ownerId || seesAll(viewer);
    if (whole) return { ...listing, current: listing.versions[listing.versions.length - 1].content };
    const version = publicVersion(listing)!;
    const granted = listing.accessRequests.some((r) => r.userId === viewer?.id && r.grantedAt);
    const { details, ...publicPart } = version.content;
    return {
      id: listing.id,
      side: listing.side,
      ownerId: listing.ownerId,
      status: listing.status,
      version: version.version,
      approvedAt: version.review?.at,
      current: granted ? { ...publicPart, details } : publicPart,
      detailsGranted: granted,
      hasDetails: details !== undefined,
    };
  }

  /** The listings `owner` published, newest first. */
  async mine(owner: Principal): Promise<Listing[]> {
    const own: Listing[] = [];
    for await (const listing of this.tables.listings.values()) if (listing.ownerId === owner.id) own.push(listing);
    return own.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Every listing whatever its status, for the overseers' statistics (the route admits only them). */
  async everything(): Promise<Listing[]> {
    const all: Listing[] = [];
    for await (const listing of this.tables.listings.values()) all.push(listing);
    return all;
  }

  /** Listings waiting for review, oldest first. */
  async reviewQueue(): Promise<Listing[]> {
    const queue: Listing[] = [];
    for await (const listing of this.tables.listings.values()) if (listing.status === "submitted") queue.push(listing);
    return queue.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  }

  /** Full-text search with filters over public listings (6.4.1). */
  search(query: string | undefined, filters: SearchFilters, { limit = 20, offset = 0 } = {}) {
    const found = query?.trim() ? this.index.search(query, filters, { limit, offset }) : undefined;
    const all = found ? undefined : this.index.filtered(filters);
    const page: Array<{ entry: IndexedListing; score: number | undefined }> = found
      ? found.hits
      : all!.slice(offset, offset + limit).map((entry) => ({ entry, score: undefined }));
    return {
      total: found ? found.total : all!.length,
      /** How the query reached other languages: dictionary translations, listings' translations, IPC classes. */
      bridged: found?.bridged ?? [],
      results: page.map(({ entry, score }) => {
        const { details: _hidden, ...content } = entry.content;
        return { id: entry.id, ownerId: entry.ownerId, score, content };
      }),
    };
  }

  /** Ranked listings of the other side for a listing its owner (or a broker, reviewer) may see whole. */
  async matches(viewer: Principal, id: string, limit = 10): Promise<Match[]> {
    const listing = await this.visible(viewer, id);
    const allowed = viewer.id === listing.ownerId || viewer.roles.includes("broker") || seesAll(viewer);
    if (!allowed)
      throw forbidden("MATCHES_NOT_ALLOWED", "matches of a listing are for its owner, brokers and reviewers");
    return rankMatches(this.index, listing.versions[listing.versions.length - 1].content, {
      limit,
      exclude: id,
      rates: this.rates.converter,
    });
  }

  async get(id: string): Promise<Listing> {
    const listing = await this.tables.listings.get(id);
    if (!listing) throw notFound("LISTING_NOT_FOUND", `no listing with id ${id}`);
    return listing;
  }

  /** The listing if `viewer` may see it at all; otherwise the same 403 whether it exists or not. */
  private async visible(viewer: Principal | undefined, id: string): Promise<Listing> {
    const listing = await this.tables.listings.get(id);
    if (seesAll(viewer)) {
      if (!listing) throw notFound("LISTING_NOT_FOUND", `no listing with id ${id}`);
      return listing;
    }
    if (!listing) throw notPublic();
    if (viewer?.id === listing.ownerId || publicVersion(listing)) return listing;
    throw notPublic();
  }

  private async owned(owner: Principal, id: string): Promise<Listing> {
    const listing = await this.tables.listings.get(id);
    if (!listing || listing.ownerId !== owner.id) throw forbidden("NOT_OWNER", "only the listing's owner may do this");
    return listing;
  }

  private async assertMayPublish(owner: Principal, side: Listing["side"]): Promise<void> {
    if (owner.kind !== "user") throw forbidden("USERS_ONLY", "listings are published by people, not services");
    const role = side === "supply" ? "supplier" : "demander";
    if (!owner.roles.includes(role))
      throw forbidden("ROLE_REQUIRED", `publishing a ${side} listing needs the ${role} role`);
    assertMayTrade(await this.users.get(owner.id));
  }

  private async commit(
    id: string,
    kind: EvidenceKind,
    data: Record<string, unknown>,
    build: (recordId: string) => Listing,
    extra: BatchOperation[] = [],
  ): Promise<Listing> {
    const written = await this.recorder.write(async (unit) => {
      const record = await unit.seal({ kind, subject: listingSubject(id), data });
      const listing = build(record.header.id);
      unit.put(this.tables.listings, id, listing).add(...extra);
      return listing;
    });
    this.index.update(written);
    return written;
  }
}

/**
 * The evidence data of a submitted version: each disclosure field committed on
 * its own, so a certificate can show the price and withhold the details.
 */
function versionRecord(content: ListingContent, version: number): Record<string, unknown> {
  const problem = crossFieldProblems(content);
  if (problem) throw badRequest("INVALID_LISTING", problem);
  return { version, ...(JSON.parse(JSON.stringify(content)) as Record<string, unknown>) };
}
