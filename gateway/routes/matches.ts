import type { EscrowTerms } from "../escrow/terms";
import type { DealWorkspaces } from "../deal/workspace";
import { z } from "zod";
import {
  DEAL_ID_PATTERN,
  LISTING_ID_PATTERN,
  MATCH_ID_PATTERN,
  SAVED_SEARCH_ID_PATTERN,
} from "tech-transfer-ledger/sdk";
import { defineRoute, type Route } from "../http/route";
import type { MatchService } from "../market/matches";
import { COOPERATION_MODES } from "../market/types";

const listingId = z.string().regex(LISTING_ID_PATTERN, "a listing id (lst_…)");
const refusals = {
  400: { description: "Invalid input" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not a party, or the account may not trade (with the reason)" },
};
const signedIn = { roles: [] as const, anyUser: true };

/** Matches, deals and saved searches (6.4.1–6.4.3); the inbox is in ./notifications. */
export function matchRoutes(deps: {
  matches: MatchService;
  escrowTerms: EscrowTerms;
  dealWorkspaces: DealWorkspaces;
}): Route[] {
  const { matches, escrowTerms, dealWorkspaces } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/matches",
      summary: "Propose a match: a listing's owner (online) or a broker (recorded offline, 6.4.1)",
      tags: ["market"],
      access: signedIn,
      body: z.strictObject({ supplyId: listingId, demandId: listingId, note: z.string().trim().max(2000).optional() }),
      responses: {
        201: { description: "The proposed match" },
        ...refusals,
        409: { description: "These listings are already matched" },
      },
      async handler({ body, principal }) {
        return { status: 201, body: await matches.propose(principal!, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/matches/:id",
      summary: "A match (its two sides, its broker, reviewers)",
      tags: ["market"],
      access: signedIn,
      params: z.object({ id: z.string().regex(MATCH_ID_PATTERN, "a match id") }),
      responses: { 200: { description: "The match" }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: await matches.getMatch(principal!, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/matches/:id/answer",
      summary: "Confirm or decline a match (6.4.2); when both sides confirm, a deal opens",
      tags: ["market"],
      access: signedIn,
      params: z.object({ id: z.string().regex(MATCH_ID_PATTERN, "a match id") }),
      body: z.strictObject({ accept: z.boolean() }),
      responses: {
        200: { description: "The match, and the deal once confirmed" },
        ...refusals,
        409: { description: "Already answered or closed" },
      },
      async handler({ params, body, principal }) {
        return { status: 200, body: await matches.answer(principal!, params.id, body.accept) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals",
      summary: "The signed-in user's deals: as a party or broker, and as the manager or an evaluator of the workspace",
      tags: ["market"],
      access: signedIn,
      responses: { 200: { description: "Deals, newest first" }, ...refusals },
      async handler({ principal }) {
        const own = await matches.dealsOf(principal!);
        const known = new Set(own.map((deal) => deal.id));
        const more = [];
        for (const id of await dealWorkspaces.dealIdsOf(principal!.id)) {
          const deal = known.has(id) ? undefined : await matches.findDeal(id);
          if (deal) more.push(deal);
        }
        const deals = [...own, ...more].sort((a, b) => b.openedAt.localeCompare(a.openedAt));
        return { status: 200, body: { deals } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id",
      summary:
        "A deal, where its escrow stands and where it stands in its workspace (its parties and broker; overseers)",
      tags: ["market"],
      access: signedIn,
      params: z.object({ id: z.string().regex(DEAL_ID_PATTERN, "a deal id") }),
      responses: { 200: { description: "The deal" }, ...refusals },
      async handler({ params, principal }) {
        // The market owns the deal, the escrow its terms, the workspace its state: composed here, so none reads another's tables.
        const deal = await matches.getDeal(principal!, params.id);
        const [escrow, workspace] = await Promise.all([escrowTerms.standing(deal.id), dealWorkspaces.stateOf(deal.id)]);
        return { status: 200, body: { ...deal, escrow, workspace } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/saved-searches",
      summary: "Save a search: be told when a new listing fits it (6.4.3)",
      tags: ["market"],
      access: signedIn,
      body: z.strictObject({
        q: z.string().trim().max(500).optional(),
        filters: z
          .strictObject({
            side: z.enum(["supply", "demand"]).optional(),
            field: z.string().max(60).optional(),
            ipc: z.string().max(20).optional(),
            minTrl: z.int().min(1).max(9).optional(),
            maxTrl: z.int().min(1).max(9).optional(),
            currency: z.string().length(3).optional(),
            maxPrice: z.int().min(0).optional(),
            minBudget: z.int().min(0).optional(),
            region: z.string().max(10).optional(),
            mode: z.enum(COOPERATION_MODES).optional(),
            language: z.string().max(10).optional(),
          })
          .default({}),
      }),
      responses: { 201: { description: "The saved search" }, ...refusals },
      async handler({ body, principal }) {
        return { status: 201, body: await matches.saveSearch(principal!, body) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/saved-searches",
      summary: "The signed-in user's saved searches",
      tags: ["market"],
      access: signedIn,
      responses: { 200: { description: "Saved searches" }, ...refusals },
      async handler({ principal }) {
        return { status: 200, body: { searches: await matches.savedSearches(principal!) } };
      },
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/saved-searches/:id",
      summary: "Delete a saved search (its owner)",
      tags: ["market"],
      access: signedIn,
      params: z.object({ id: z.string().regex(SAVED_SEARCH_ID_PATTERN, "a saved search id") }),
      responses: { 204: { description: "Deleted" }, ...refusals },
      async handler({ params, principal }) {
        await matches.deleteSearch(principal!, params.id);
        return { status: 204, body: null };
      },
    }),
  ];
}
