import { z } from "zod";
import {
  BYTES32_PATTERN,
  DEAL_ID_PATTERN,
  DISPUTE_ID_PATTERN,
  fileInputSchema,
  disputeViewSchema,
  dossierSchema,
} from "tech-transfer-ledger/sdk";
import type { DisputeService } from "../escrow/disputes";
import { defineRoute, type Route } from "../http/route";
import { readAccess } from "../auth/policy";

const disputeParams = z.object({ id: z.string().regex(DISPUTE_ID_PATTERN, "a dispute id (deal_….mN)") });
const refusals = {
  400: { description: "Invalid input" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not a party or the arbitrator of the dispute" },
  409: { description: "The dispute is closed" },
};

/** Disputes: the negotiation the platform organises, and the arbitrator's dossier. */
export function disputeRoutes(deps: { disputes: DisputeService }): Route[] {
  const { disputes } = deps;
  return [
    defineRoute({
      method: "GET",
      path: "/v1/disputes",
      summary: "Disputes the signed-in user is a party or the arbitrator of (all, for overseers)",
      tags: ["disputes"],
      access: readAccess.deals,
      responses: {
        200: { description: "Disputes, newest first", schema: z.object({ disputes: z.array(disputeViewSchema) }) },
        ...refusals,
      },
      async handler({ principal }) {
        return { status: 200, body: { disputes: await disputes.list(principal!) } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/disputes/:id",
      summary: "A dispute: its state, proposals, ruling and the records of its steps",
      tags: ["disputes"],
      access: readAccess.deals,
      params: disputeParams,
      responses: { 200: { description: "The dispute", schema: z.object({ dispute: disputeViewSchema }) }, ...refusals },
      async handler({ params, principal }) {
        return { status: 200, body: { dispute: await disputes.get(principal!, params.id) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/disputes/:id/messages",
      summary: "Add to the negotiation: a message with documents or earlier records (parties, arbitrator)",
      tags: ["disputes"],
      access: readAccess.deals,
      params: disputeParams,
      idempotent: true,
      body: z.strictObject({
        text: z.string().trim().min(1).max(20_000),
        files: z.array(fileInputSchema).max(8).optional(),
        records: z.array(z.string().uuid()).max(50).optional(),
      }),
      responses: { 201: { description: "The message's record" }, ...refusals },
      async handler({ params, body, principal }) {
        const receipt = await disputes.message(principal!, params.id, {
          ...body,
          files: body.files?.map((file) => ({
            name: file.name,
            mediaType: file.mediaType,
            bytes: Buffer.from(file.contentBase64, "base64"),
          })),
        });
        return { status: 201, body: { record: receipt } };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/deals/:id/documents/:sha256",
      summary: "Download a document a record of the deal commits to (parties, arbitrator, overseers)",
      tags: ["disputes"],
      access: readAccess.deals,
      params: z.object({
        id: z.string().regex(DEAL_ID_PATTERN, "a deal id"),
        sha256: z.string().regex(BYTES32_PATTERN, "a SHA-256 digest as 0x-prefixed hex"),
      }),
      responses: {
        200: { description: "The file's bytes", contentType: "application/octet-stream" },
        404: { description: "No such document in the deal's records" },
        ...refusals,
      },
      async handler({ params, principal }) {
        const bytes = await disputes.document(principal!, params.id, params.sha256);
        return { status: 200, body: bytes, type: "application/octet-stream" };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/disputes/:id/dossier",
      summary: "The dossier: every record of the deal as certificates, in hash-chain order, with its documents",
      description:
        "One JSON file that verifies without the gateway: `npm run verify -- dossier.json`. `?download=1` answers it as an " +
        "attachment (the export for authorities).",
      tags: ["disputes"],
      access: readAccess.deals,
      params: disputeParams,
      query: z.object({ download: z.enum(["0", "1"]).default("0") }),
      responses: {
        200: { description: "The dossier (format tech-transfer-ledger/dispute-dossier@1)", schema: dossierSchema },
        ...refusals,
      },
      async handler({ params, query, principal }) {
        const dossier = await disputes.dossier(principal!, params.id);
        return {
          status: 200,
          body: dossier,
          headers: (query.download === "1"
            ? { "Content-Disposition": `attachment; filename="dossier-${params.id}.json"` }
            : {}) as Record<string, string>,
        };
      },
    }),
  ];
}
