import type { GatewayClientBase } from "../createGatewayClient";
import type { ListingView } from "../types";

export type GetReviewQueueReturnType = { listings: ListingView[] };

/**
 * Listings waiting for review, oldest first (GET /v1/listings/review-queue), for reviewers.
 *
 * @example
 * const { listings } = await reviewer.getReviewQueue();
 */
export async function getReviewQueue(client: GatewayClientBase): Promise<GetReviewQueueReturnType> {
  return client.request<GetReviewQueueReturnType>("GET", `/v1/listings/review-queue`);
}
