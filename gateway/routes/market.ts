import { z } from "zod";
import { GatewayError } from "../errors";
import { defineRoute, type Route } from "../http/route";
import type { ListingService } from "../market/listings";
import { listingSchema } from "../market/schemas";
import { COOPERATION_MODES, REJECTION_REASONS } from "../market/types";

const listingId = z.string().regex(/^lst_[0-9a-f]{24}$/, "a listing id (lst_…)");
const refusals = {
  400: { description: "Invalid input" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not allowed for this caller, or the account may not trade (with the reason)" },
};
const signedIn = { roles: [] as const, anyUser: true };
const LISTING_BODY_LIMIT = 512 * 1024;

/** Listings, review, search and matching (clauses 6.3 and 6.4.1). */
export function marketRoutes(deps: { listings: ListingService }): Route[] {
  const { listings } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/listings",
      summary: "Publish a supply (suppliers) or demand (demanders) listing for review",
      description:
        "Only certified accounts publish (6.3.1). Prices and budgets are integers in minor units of an ISO 4217 currency; " +
        "IPC codes like `H01M 10/54`; TRL 1–9. `details` are shown only to counterparts the owner grants access.",
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
      tags: ["market"],
      access: { public: true },
      query: z.object({
        q: z.string().max(500).optional().meta({ description: "Words in any language", example: "光伏 recycling" }),
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
      }),
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
      params: z.object({ id: listingId, requestId: z.string().regex(/^acr_[0-9a-f]{16}$/, "an access request id") }),
      responses: { 200: { description: "The listing" }, ...refusals, 404: { description: "No such request" } },
      async handler({ params, principal }) {
        if (principal?.kind !== "user") throw new GatewayError(403, "USERS_ONLY", "the listing's owner grants access");
        return { status: 200, body: await listings.grantAccess(principal, params.id, params.requestId) };
      },
    }),
  ];
}
