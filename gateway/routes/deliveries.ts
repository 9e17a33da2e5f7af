import { z } from "zod";
import {
  AGE_RECIPIENT_PATTERN,
  DEAL_ID_PATTERN,
  FILE_NAME_PATTERN,
  MAX_MILESTONES,
  MEDIA_TYPE_PATTERN,
  deliveryFileUploadSchema,
} from "tech-transfer-ledger/sdk";
import type { EscrowDeliveries } from "../escrow/deliveries";
import { GatewayError } from "../errors";
import { defineRoute, type Route } from "../http/route";

const milestoneParams = z.object({
  id: z.string().regex(DEAL_ID_PATTERN, "a deal id (deal_…)"),
  milestone: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_MILESTONES - 1),
});

/** Delivery that keeps its promise (6.8.2, docs/ESCROW.md "Delivery"): large delivery files, streamed in. */
export function deliveryRoutes(deps: { escrowDeliveries: EscrowDeliveries }): Route[] {
  const { escrowDeliveries: deliveries } = deps;
  return [
    defineRoute({
      method: "POST",
      path: "/v1/deals/:id/milestones/:milestone/delivery-files",
      summary: "Stream in a delivery file, an age file to the contract's recipients (the supplier)",
      description:
        "The body is the file itself (`Content-Type: application/octet-stream`), of any size up to the delivery limit " +
        "(4 GiB unless the operator sets another): the gateway hashes and stores it as it streams and never holds it whole. " +
        "`recipients` names the age recipients the file is encrypted to, comma-separated: exactly those the contract " +
        "names (the demander's, and the arbitrator's where the terms say `deliverToArbitrator`), as `GET /v1/deals/:id/escrow` " +
        "shows them. The file must be age (age-encryption.org/v1) with one X25519 stanza per recipient and nothing else, " +
        "and a payload of whole STREAM chunks. The `deliver` move then names it: " +
        '`statement.files: [{ name, uploaded: "<sha256>", recipients }]`.',
      tags: ["escrow"],
      access: { roles: ["supplier"] },
      params: milestoneParams,
      query: z.strictObject({
        name: z.string().min(1).max(255).regex(FILE_NAME_PATTERN, "a file name without slashes or control characters"),
        mediaType: z
          .string()
          .regex(MEDIA_TYPE_PATTERN, "a media type such as application/octet-stream")
          .default("application/octet-stream"),
        recipients: z
          .string()
          .transform((text) => text.split(","))
          .pipe(z.array(z.string().regex(AGE_RECIPIENT_PATTERN, "an age recipient (age1…)")).min(1).max(8))
          .meta({ description: "The age recipients the file is encrypted to, comma-separated" }),
      }),
      responses: {
        201: { description: "Kept and recorded; name it in the deliver move", schema: deliveryFileUploadSchema },
        400: { description: "Invalid input" },
        401: { description: "No credential, or a bad or expired one" },
        403: { description: "Not the deal's supplier" },
        404: { description: "No such deal, terms or milestone" },
        409: {
          description: "The escrow is not on chain, or a recipient has registered no encryption key",
        },
        413: { description: "Over the delivery limit (`DELIVERY_TOO_LARGE`)" },
        415: { description: "The body is not application/octet-stream" },
        422: {
          description:
            "Not an age file (`DELIVERY_NOT_AGE`), or not to exactly the contract's recipients (`DELIVERY_RECIPIENTS_WRONG`)",
        },
      },
      async handler({ params, query, principal, ctx }) {
        if (!ctx.is("application/octet-stream")) {
          throw new GatewayError(415, "UNSUPPORTED_MEDIA_TYPE", "send the file as application/octet-stream");
        }
        try {
          const result = await deliveries.upload(principal!, params.id, params.milestone, query, ctx.req);
          return { status: 201, body: result };
        } catch (error) {
          // Refused part-way: the rest of the body is read and dropped (not cut off), so the
          // client, still sending, reads why; the connection is not reused after it.
          ctx.req.removeAllListeners("readable");
          ctx.req.resume();
          ctx.set("Connection", "close");
          throw error;
        }
      },
    }),
  ];
}
