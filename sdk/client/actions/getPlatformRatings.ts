import { type RatingSummaryView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export type GetPlatformRatingsReturnType = RatingSummaryView;

/**
 * The platform's rating figures from the parties of its deals (GET /v1/platform/ratings).
 *
 * @example
 * const { overall } = await me.getPlatformRatings();
 */
export async function getPlatformRatings(client: GatewayClientBase): Promise<GetPlatformRatingsReturnType> {
  return client.request<GetPlatformRatingsReturnType>("GET", "/v1/platform/ratings");
}
