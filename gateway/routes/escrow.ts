import { z } from "zod";
import {
  ESCROW_ACTION_NAMES,
  MAX_MILESTONES,
  escrowMoveSchema,
  escrowViewSchema,
  DEAL_ID_PATTERN,
  SIGNATURE_PATTERN,
  fileInputSchema,
  moveFileInputSchema,
} from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import type { EscrowMoves } from "../escrow/moves";
import type { EscrowTerms } from "../escrow/terms";
import { defineRoute, type Route } from "../http/route";
import type { MatchService } from "../market/matches";
import { currency, minorUnits } from "../market/schemas";
import { readAccess } from "../auth/policy";

const dealId = z.string().regex(DEAL_ID_PATTERN, "a deal id (deal_…)");
const dealParams = z.object({ id: dealId });
const milestoneParams = z.object({
  id: dealId,
  milestone: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_MILESTONES - 1),
});
const signature = z.string().regex(SIGNATURE_PATTERN, "a 65-byte signature as 0x-prefixed hex");
const positiveMinorUnits = minorUnits.refine((n) => n > 0, "more than zero minor units");
const seconds = (max: number) => z.int().min(0).max(max);
const toFile = (file: z.infer<typeof fileInputSchema>) => ({
  name: file.name,
  mediaType: file.mediaType,
  bytes: Buffer.from(file.contentBase64, "base64"),
});
/** A move's file: inline bytes, or (a delivery) an uploaded file's SHA-256; a delivered file's recipients. */
const toMoveFile = (file: z.infer<typeof moveFileInputSchema>) => ({
  name: file.name,
  mediaType: file.mediaType,
  ...(file.uploaded ? { uploaded: file.uploaded } : { bytes: Buffer.from(file.contentBase64!, "base64") }),
  ...(file.recipients ? { recipients: file.recipients } : {}),
});
const refusals = {
  400: { description: "Invalid input" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not a party of the deal, or not the one who may make this move" },
  404: { description: "No such deal, terms or milestone" },
  409: { description: "Not possible in the milestone's state, too early or too late" },
  422: { description: "Amounts that do not add up, a wrong signer, an unknown currency" },
  503: { description: "The chain did not answer; nothing changed, try again" },
};
const parties = { roles: ["supplier", "demander"] as const };

/** Who may see a deal's escrow: its parties and broker, its arbitrator, overseers. */
async function mayView(matches: MatchService, terms: EscrowTerms, viewer: Principal, id: string): Promise<void> {
  const agreement = await terms.get(id).catch(() => undefined);
  if (agreement && agreement.arbitratorId === viewer.id) return;
  // The arbitration body reads the escrow of a deal on chain: the nonce and state it signs a replacement for.
  if (agreement?.status === "created" && viewer.roles.includes("arbitration_body")) return;
  await matches.getDeal(viewer, id);
}

/** A deal's escrow: its terms signed by both parties, and the milestones' moves (docs/ESCROW.md). */
export function escrowRoutes(deps: {
  escrowTerms: EscrowTerms;
  escrowMoves: EscrowMoves;
  matches: MatchService;
}): Route[] {
  const { escrowTerms: terms, escrowMoves: moves, matches } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/terms",
      summary: "Propose the escrow terms of a deal: milestones, periods, the arbitrator, the contract (a party)",
      description:
        "Amounts are integers in minor units and must add up to `total` (and to the deal's price when it has one). " +
        "A deal whose technology contract both parties signed in its workspace takes the contract file, currency, total " +
        "and milestones from it: leave them out, or give them equal (`TERMS_DISAGREE_WITH_CONTRACT` otherwise). " +
        "The answer carries the EIP-712 typed data both parties sign (`typedData`). A new proposal replaces one not yet signed by both.",
      tags: ["escrow"],
      access: parties,
      params: dealParams,
      idempotent: true,
      body: z.strictObject({
        contract: fileInputSchema
          .meta({
            description:
              "The technology contract both parties agreed (PDF…); its SHA-256 is signed. Left out when the deal's contract was signed in its workspace",
          })
          .optional(),
        currency: currency.optional(),
        total: positiveMinorUnits.optional(),
        milestones: z
          .array(
            z.strictObject({
              title: z.string().trim().min(1).max(200),
              amount: positiveMinorUnits,
              deliverBy: z.iso.datetime({ offset: true }),
            }),
          )
          // How many at most is the escrow's MAX_MILESTONES, checked once, by the terms service (422).
          .min(1)
          .optional(),
        arbitratorId: z.string().min(1).max(64),
        inspectionPeriodSeconds: seconds(365 * 86400).refine((n) => n > 0, "more than zero"),
        gracePeriodSeconds: seconds(365 * 86400).default(0),
        maxChangeRounds: z.int().min(0).max(10).default(2),
        rulingPeriodSeconds: seconds(365 * 86400).refine((n) => n > 0, "more than zero"),
        appealWindowSeconds: seconds(90 * 86400).default(0),
        deliverToArbitrator: z.boolean().default(false).meta({
          description:
            "Deliveries are encrypted to the arbitrator as well as to the demander (the contract says so); otherwise to the demander only",
        }),
      }),
      responses: { 201: { description: "The terms, with the typed data to sign" }, ...refusals },
      async handler({ params, body, principal }) {
        const agreement = await terms.propose(principal!, params.id, {
          ...body,
          contract: body.contract && toFile(body.contract),
        });
        return { status: 201, body: { terms: agreement, typedData: terms.typedData(agreement) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/terms/signatures",
      summary: "Sign the standing escrow terms (a party); with both signatures the deal goes on chain",
      tags: ["escrow"],
      access: parties,
      params: dealParams,
      idempotent: true,
      body: z.strictObject({ signature }),
      responses: {
        200: { description: "The terms with their signatures and, once both signed, the deal on chain" },
        ...refusals,
      },
      async handler({ params, body, principal }) {
        return { status: 200, body: { terms: await terms.sign(principal!, params.id, body.signature) } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/escrow",
      summary:
        "The deal's escrow: terms, signatures, and each milestone as the chain holds it (with the nonce to sign)",
      tags: ["escrow"],
      access: readAccess.deals,
      params: dealParams,
      responses: { 200: { description: "The escrow", schema: escrowViewSchema }, ...refusals },
      async handler({ params, principal }) {
        await mayView(matches, terms, principal!, params.id);
        return { status: 200, body: await moves.view(params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/milestones/:milestone/moves",
      summary:
        "Make a signed move on a milestone: deliver, accept, request changes, dispute, settle, escalate, rule, appeal…",
      description:
        "The mover signs EIP-712 `MilestoneAction` with the milestone's current `nonce`; `data` is the SDK's " +
        "`statementDigest(statement)` for moves that carry a statement, else zero. The gateway relays it to the escrow, " +
        "records it with its documents, and answers the milestone as it now stands. Cancelling needs both parties: the first " +
        "signature waits for the second.",
      tags: ["escrow"],
      access: { roles: ["supplier", "demander", "arbitrator"] },
      params: milestoneParams,
      idempotent: true,
      body: z.strictObject({
        action: z.enum(ESCROW_ACTION_NAMES),
        signature,
        statement: z
          .strictObject({
            text: z.string().trim().min(1).max(20_000),
            files: z.array(moveFileInputSchema).max(8).optional(),
            records: z.array(z.string().uuid()).max(50).optional(),
          })
          .optional(),
        release: minorUnits.optional(),
        refund: minorUnits.optional(),
      }),
      responses: {
        200: { description: "The move's record and the milestone", schema: escrowMoveSchema },
        202: { description: "Waiting for the other party's cancellation", schema: escrowMoveSchema },
        ...refusals,
      },
      async handler({ params, body, principal }) {
        const result = await moves.move(principal!, params.id, params.milestone, {
          ...body,
          statement: body.statement && { ...body.statement, files: body.statement.files?.map(toMoveFile) },
        });
        return { status: "waitingFor" in result ? 202 : 200, body: result };
      },
    }),
    ...(["release", "finalize"] as const).map((what) =>
      defineRoute({
        method: "POST",
        path: `/v1/deals/:id/milestones/:milestone/${what}`,
        summary:
          what === "release"
            ? "Release a milestone whose inspection period lapsed without objection (anyone)"
            : "Make a ruling final once its appeal window lapsed (anyone)",
        tags: ["escrow"],
        // Whoever may see the deal may push a lapsed deadline along: the outcome is already fixed.
        access: readAccess.deals,
        params: milestoneParams,
        idempotent: true,
        responses: {
          200: { description: "The trigger's record and the milestone", schema: escrowMoveSchema },
          ...refusals,
        },
        async handler({ params, principal }) {
          return { status: 200, body: await moves.trigger(principal!, params.id, params.milestone, what) };
        },
      }),
    ),
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/milestones/:milestone/reissue",
      summary: "Issue again an instruction the bank reported failed, once its cause is fixed (operator, admin)",
      tags: ["escrow"],
      access: { roles: ["operator", "admin"] },
      params: milestoneParams,
      idempotent: true,
      responses: {
        200: { description: "The trigger's record and the milestone", schema: escrowMoveSchema },
        ...refusals,
      },
      async handler({ params, principal }) {
        return { status: 200, body: await moves.trigger(principal!, params.id, params.milestone, "reissue") };
      },
    }),
  ];
}
