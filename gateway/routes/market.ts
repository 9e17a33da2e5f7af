import { z } from "zod";
import {
  ACCESS_REQUEST_ID_PATTERN,
  BYTES32_PATTERN,
  LISTING_ID_PATTERN,
  SIGNATURE_PATTERN,
  USER_ID_PATTERN,
} from "tech-transfer-ledger/sdk";
import { forbidden } from "../errors";
import { defineRoute, type Route } from "../http/route";
import type { ListingService } from "../market/listings";
import { exchangeRatesSchema } from "../market/exchangeRates";
import { IMPORT_CHUNK } from "../market/imports";
import { listingSchema } from "../market/schemas";
import { COOPERATION_MODES, REJECTION_REASONS } from "../market/types";
import { vocabularies } from "../market/vocabularies";

const listingId = z.string().regex(LISTING_ID_PATTERN, "a listing id (lst_…)");
const refusals = {
  400: { description: "Invalid input" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not allowed for this caller, or the account may not trade (with the reason)" },
};
const signedIn = { roles: [] as const, anyUser: true };
const LISTING_BODY_LIMIT = 512 * 1024;
/** A chunk of an import: up to IMPORT_CHUNK listings of up to a few kilobytes each. */
const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;
const operatorOnly = { roles: ["operator"] as const };
const userId = z.string().regex(USER_ID_PATTERN, "a user id (usr_…)");
const importLines = z
  .array(
    z.strictObject({
      line: z.int().min(1),
      importId: z.string().min(1).max(200),
      content: z.unknown(),
    }),
  )
  .min(1)
  .max(IMPORT_CHUNK);
const digest = z.string().regex(BYTES32_PATTERN, "a SHA-256 digest (0x and 64 hex digits)");
/** Words and filters of a search, in the query string (GET) or the body (POST). */
const searchShape = {
  q: z
    .string()
    .max(2000)
    .optional()
    .meta({ description: "Words in any language (up to 2,000 characters)", example: "光伏 recycling" }),
  side: z.enum(["supply", "demand"]).optional(),
  field: z.string().max(60).optional(),
  ipc: z.string().max(20).optional().meta({ description: "An IPC prefix such as H01M or H01M 10" }),
  minTrl: z.coerce.number().int().min(1).max(9).optional(),
  maxTrl: z.coerce.number().int().min(1).max(9).optional(),
  currency: z.string().length(3).optional(),
  maxPrice: z.coerce.number().int().min(0).optional(),
  minBudget: z.coerce.number().int().min(0).optional(),
  region: z.string().max(10).optional(),
  mode: z.enum(COOPERATION_MODES).optional(),
  language: z.string().max(10).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  offset: z.coerce.number().int().min(0).optional(),
};
const VOCABULARIES =
  "See `GET /v1/vocabularies` for the codes (fields, modes, result kinds, TRL, regions, currencies).";

/** Listings, review, search and matching (clauses 6.3 and 6.4.1). */
export function marketRoutes(deps: { listings: ListingService }): Route[] {
  const { listings } = deps;
  return [
    defineRoute({
      method: "GET",
      path: "/v1/vocabularies",
      summary: "The codes a client uses, with names in Chinese and English",
      description:
        "Field codes (and what the field weighs in matching), result kinds, cooperation modes, TRL levels, " +
        "regions, currencies, contract types, IP kinds and statuses, rejection reasons and roles.",
      tags: ["market"],
      access: { public: true },
      responses: { 200: { description: "The vocabularies, each term with `code`, `zh` and `en`" } },
      handler() {
        return { status: 200, body: vocabularies() };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/exchange-rates",
      summary: "The exchange rates matching converts prices and budgets with, and their date",
      tags: ["market"],
      access: { public: true },
      responses: { 200: { description: "The rates in force (`rates: null` until the administrator sets some)" } },
      handler() {
        return { status: 200, body: { rates: listings.rates.rates ?? null } };
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/exchange-rates",
      summary: "Set the exchange rates (administrators); recorded as evidence",
      description:
        "On `date`, one unit of each currency in `rates` is worth that many units of `base` (major units). " +
        "Replaces the table in force; matching compares a price and a budget in different currencies with it.",
      tags: ["market"],
      access: { roles: ["admin"] },
      body: exchangeRatesSchema,
      responses: { 200: { description: "The rates now in force, with their evidence record" }, ...refusals },
      async handler({ body, principal }) {
        return { status: 200, body: { rates: await listings.rates.set(principal!, body) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/imports/dry-run",
      summary: "Check catalogue lines for a user without changing anything (the operator)",
      description: `Up to ${IMPORT_CHUNK} lines: each is checked as \`POST /v1/listings\` would check it; every refusal names its line and all its problems.`,
      tags: ["market"],
      access: operatorOnly,
      body: z.strictObject({ asUser: userId, lines: importLines }),
      bodyLimit: IMPORT_BODY_LIMIT,
      responses: { 200: { description: "One outcome per line: valid, already-imported or refused" }, ...refusals },
      async handler({ body }) {
        return { status: 200, body: { lines: await listings.imports.check(body.asUser, body.lines) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/imports",
      summary:
        "Open an import batch for a user from its manifest, optionally pre-approved by a reviewer (the operator)",
      description:
        "The manifest maps each line's import id to the SHA-256 of its listing as canonical JSON (RFC 8785). The " +
        "batch id is the SHA-256 of `{asUser, manifest}`; opening the same manifest again reopens the batch (and " +
        "says how many lines are already imported). A reviewer pre-approves every listing of the batch by signing " +
        '"Tech Transfer Ledger: I approve every listing of import batch <batch id> for publication." (EIP-191).',
      tags: ["market"],
      access: operatorOnly,
      body: z.strictObject({
        asUser: userId,
        manifest: z
          .record(z.string().min(1).max(200), digest)
          .refine((m) => Object.keys(m).length >= 1 && Object.keys(m).length <= 200_000, "1 to 200,000 lines"),
        approval: z
          .strictObject({ reviewerId: userId, signature: z.string().regex(SIGNATURE_PATTERN, "a signature") })
          .optional(),
      }),
      bodyLimit: IMPORT_BODY_LIMIT,
      responses: {
        200: { description: "The batch, with its evidence record and the count already imported" },
        ...refusals,
      },
      async handler({ body, principal }) {
        const { manifest: _manifest, ...batch } = await listings.imports.open(principal!, body);
        return { status: 200, body: batch };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/imports/:batchId/lines",
      summary: "Publish lines of an open import batch through the normal publishing path (the operator)",
      description:
        "Each line is published as its user's listing (submitted for review, or approved at once when the batch " +
        "was pre-approved). A line already imported is not published again.",
      tags: ["market"],
      access: operatorOnly,
      params: z.object({ batchId: digest }),
      body: z.strictObject({ lines: importLines }),
      bodyLimit: IMPORT_BODY_LIMIT,
      responses: {
        200: { description: "One outcome per line: published, approved, already-imported or refused" },
        ...refusals,
        404: { description: "No such batch" },
      },
      async handler({ params, body }) {
        return { status: 200, body: { lines: await listings.imports.publish(params.batchId, body.lines) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/listings",
      summary: "Publish a supply (suppliers) or demand (demanders) listing for review",
      description:
        "Only certified accounts publish (6.3.1). Prices and budgets are integers in minor units of an ISO 4217 currency; " +
        "IPC codes like `H01M 10/54`; TRL 1–9. `details` are shown only to counterparts the owner grants access. " +
        VOCABULARIES,
      tags: ["market"],
      access: { roles: ["supplier", "demander"] },
      body: listingSchema,
      bodyLimit: LISTING_BODY_LIMIT,
      responses: { 201: { description: "The listing, submitted for review" }, ...refusals },
      async handler({ body, principal }) {
        const listing = await listings.submit(principal!, body);
        return { status: 201, body: listing, headers: { Location: `/v1/listings/${listing.id}` } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/listings",
      summary: "Search public listings across Chinese and English, with filters",
      description:
        "Words in any language, up to 2,000 characters: bridged between Chinese and English by the CC-CEDICT " +
        "dictionary and by listings' own translations and IPC classes; `bridged` says how. " +
        VOCABULARIES,
      tags: ["market"],
      access: { public: true },
      query: z.object(searchShape),
      responses: {
        200: { description: "Matching listings, best first (newest first without words)" },
        400: { description: "Invalid filter" },
      },
      handler({ query }) {
        const { q, limit, offset, ...filters } = query;
        return { status: 200, body: listings.search(q, filters, { limit, offset }) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/listings/search",
      summary: "The same search with the words and filters in the body, for long text",
      description:
        "As `GET /v1/listings`, for a pasted description: 2,000 Chinese characters do not fit in a URL " +
        "(percent-encoded they take 18 kB, above the 16 kB of request line and headers a server accepts).",
      tags: ["market"],
      access: { public: true },
      body: z.strictObject(searchShape),
      responses: {
        200: { description: "Matching listings, best first (newest first without words)" },
        400: { description: "Invalid filter" },
      },
      handler({ body }) {
        const { q, limit, offset, ...filters } = body;
        return { status: 200, body: listings.search(q, filters, { limit, offset }) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/listings/mine",
      summary: "The signed-in user's own listings, with their versions",
      tags: ["market"],
      access: signedIn,
      responses: { 200: { description: "Own listings" }, ...refusals },
      async handler({ principal }) {
        return { status: 200, body: { listings: await listings.mine(principal!) } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/listings/review-queue",
      summary: "Listings waiting for review (reviewers)",
      tags: ["market"],
      access: { roles: ["reviewer"] },
      responses: { 200: { description: "Oldest first" }, ...refusals },
      async handler() {
        return { status: 200, body: { listings: await listings.reviewQueue() } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/listings/:id",
      summary: "One listing: the public part, the details once granted, everything for its owner and reviewers",
      tags: ["market"],
      access: { public: true },
      params: z.object({ id: listingId }),
      responses: {
        200: { description: "The listing" },
        ...refusals,
        404: { description: "No such listing (reviewers)" },
      },
      async handler({ params, principal }) {
        return { status: 200, body: await listings.view(principal, params.id) };
      },
    }),
    defineRoute({
      method: "PUT",
      path: "/v1/listings/:id",
      summary: "Edit a listing: a new version, reviewed again (the owner)",
      tags: ["market"],
      access: signedIn,
      params: z.object({ id: listingId }),
      body: listingSchema,
      bodyLimit: LISTING_BODY_LIMIT,
      responses: {
        200: { description: "The listing with its new version" },
        ...refusals,
        409: { description: "Withdrawn" },
      },
      async handler({ params, body, principal }) {
        return { status: 200, body: await listings.edit(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/listings/:id/withdrawal",
      summary: "Withdraw a listing (the owner)",
      tags: ["market"],
      access: signedIn,
      params: z.object({ id: listingId }),
      body: z.strictObject({ reason: z.string().trim().max(1000).optional() }),
      responses: {
        200: { description: "The listing, withdrawn" },
        ...refusals,
        409: { description: "Already withdrawn" },
      },
      async handler({ params, body, principal }) {
        return { status: 200, body: await listings.withdraw(principal!, params.id, body.reason) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/listings/:id/review",
      summary: "Approve or reject the latest version (reviewers), with reasons",
      tags: ["market"],
      access: { roles: ["reviewer"] },
      params: z.object({ id: listingId }),
      body: z.strictObject({
        approved: z.boolean(),
        reasons: z.array(z.enum(REJECTION_REASONS)).max(4).default([]),
        note: z.string().trim().max(2000).optional(),
      }),
      responses: {
        200: { description: "The listing, approved or rejected" },
        ...refusals,
        409: { description: "Not waiting for review" },
      },
      async handler({ params, body, principal }) {
        return { status: 200, body: await listings.review(principal!, params.id, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/listings/:id/matches",
      summary: "Ranked listings of the other side, each with the reasons for its score (owner, brokers, reviewers)",
      tags: ["market"],
      access: signedIn,
      params: z.object({ id: listingId }),
      query: z.object({ limit: z.coerce.number().int().min(1).max(50).optional() }),
      responses: { 200: { description: "Matches, best first" }, ...refusals },
      async handler({ params, query, principal }) {
        const matches = await listings.matches(principal!, params.id, query.limit);
        return {
          status: 200,
          body: {
            matches: matches.map(({ listing, ...match }) => {
              const { details: _hidden, ...content } = listing.content;
              return { ...match, content };
            }),
          },
        };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/listings/:id/access-requests",
      summary: "Ask the owner to see a listing's details (certified users)",
      tags: ["market"],
      access: signedIn,
      params: z.object({ id: listingId }),
      body: z.strictObject({ message: z.string().trim().max(1000).optional() }),
      responses: { 201: { description: "The request's id" }, ...refusals },
      async handler({ params, body, principal }) {
        return { status: 201, body: await listings.requestAccess(principal!, params.id, body.message) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/listings/:id/access-requests/:requestId/grant",
      summary: "Grant a request to see the details (the owner); the grant is a record",
      tags: ["market"],
      access: signedIn,
      params: z.object({
        id: listingId,
        requestId: z.string().regex(ACCESS_REQUEST_ID_PATTERN, "an access request id"),
      }),
      responses: { 200: { description: "The listing" }, ...refusals, 404: { description: "No such request" } },
      async handler({ params, principal }) {
        if (principal?.kind !== "user") throw forbidden("USERS_ONLY", "the listing's owner grants access");
        return { status: 200, body: await listings.grantAccess(principal, params.id, params.requestId) };
      },
    }),
  ];
}
