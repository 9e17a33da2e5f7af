import { z } from "zod";
import { DEAL_ID_PATTERN, MAX_MILESTONES, SIGNATURE_PATTERN } from "tech-transfer-ledger/sdk";
import type { ArbitratorReplacements } from "../escrow/arbitratorReplacement";
import { defineRoute, type Route } from "../http/route";

const milestoneParams = z.object({
  id: z.string().regex(DEAL_ID_PATTERN, "a deal id (deal_…)"),
  milestone: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_MILESTONES - 1),
});

const replacementSchema = z.object({
  move: z.object({ recordId: z.string(), transactionHash: z.string() }),
  arbitrator: z.object({ previousId: z.string(), previous: z.string(), nextId: z.string(), next: z.string() }),
  milestone: z.object({ state: z.string(), timer: z.int(), nonce: z.int() }).loose(),
});

/** The arbitration body's routes: replacing an arbitrator who never ruled (docs/ESCROW.md). */
export function arbitrationRoutes(deps: { arbitratorReplacements: ArbitratorReplacements }): Route[] {
  const { arbitratorReplacements } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/escrow/milestones/:milestone/arbitrator",
      summary: "Replace the deal's arbitrator after a lapsed ruling period (the arbitration body, signed)",
      description:
        "The arbitration body signs `MilestoneAction { action 12, data: the new arbitrator's signing address " +
        "left-padded to 32 bytes, release 0, refund 0, nonce }` with its key, which holds the escrow's " +
        "`ARBITRATION_ROLE`; the gateway relays it. Possible once the milestone is in arbitration and its ruling " +
        "period lapsed; the new arbitrator's ruling period starts, and the replaced one can no longer rule.",
      tags: ["disputes"],
      access: { roles: ["arbitration_body"] },
      params: milestoneParams,
      idempotent: true,
      body: z.strictObject({
        arbitratorId: z.string().min(1).max(100),
        signature: z.string().regex(SIGNATURE_PATTERN, "a 65-byte signature as 0x-prefixed hex"),
      }),
      responses: {
        200: { description: "The replacement's record and the milestone now", schema: replacementSchema },
        400: { description: "Invalid input" },
        401: { description: "No credential, or a bad or expired one" },
        403: { description: "Not the arbitration body" },
        404: { description: "No such deal, terms or milestone" },
        409: {
          description:
            "The escrow is not on chain, the milestone is not in arbitration (WRONG_MILESTONE_STATE), or its " +
            "ruling period has not lapsed (TOO_EARLY)",
        },
        422: {
          description:
            "Not an arbitrator, not neutral, replaced before, no signing key, a wrong signer, or a key without " +
            "the escrow's ARBITRATION_ROLE",
        },
        503: { description: "The chain did not answer; nothing changed, try again" },
      },
      async handler({ params, body, principal }) {
        const replaced = await arbitratorReplacements.replace(principal!, params.id, params.milestone, body);
        return { status: 200, body: replaced };
      },
    }),
  ];
}
