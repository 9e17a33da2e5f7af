import { listingSchema } from "../../gateway/market/schemas";
import type { Listing, ListingContent } from "../../gateway/market/types";

/** Validated content, as `POST /v1/listings` would store it. */
export const content = (body: unknown) => listingSchema.parse(body) as ListingContent;

/** An approved listing with one version, for indexing without a platform. */
export function approvedListing(id: string, body: unknown, approvedAt = "2026-11-01T00:00:00.000Z"): Listing {
  const parsed = content(body);
  return {
    id,
    side: parsed.side,
    ownerId: `owner-${id}`,
    status: "approved",
    versions: [
      {
        version: 1,
        content: parsed,
        submittedAt: approvedAt,
        recordId: "",
        review: { approved: true, reasons: [], by: "reviewer", at: approvedAt, recordId: "" },
      },
    ],
    approvedVersion: 1,
    accessRequests: [],
    createdAt: approvedAt,
    updatedAt: approvedAt,
  };
}
