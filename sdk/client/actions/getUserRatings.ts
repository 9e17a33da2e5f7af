import { assertObject, assertUserId } from "../assert";
import { type RatingSummaryView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface GetUserRatingsParameters {
  userId: string;
}
export type GetUserRatingsReturnType = RatingSummaryView;

/**
 * A user's rating figures: mean and count, overall and per capacity (GET /v1/users/:id/ratings).
 *
 * @example
 * const { overall } = await me.getUserRatings({ userId });
 */
export async function getUserRatings(
  client: GatewayClientBase,
  parameters: GetUserRatingsParameters,
): Promise<GetUserRatingsReturnType> {
  assertObject(parameters, "parameters");
  const { userId } = parameters;
  assertUserId(userId);
  return client.request<GetUserRatingsReturnType>("GET", `/v1/users/${userId}/ratings`);
}
