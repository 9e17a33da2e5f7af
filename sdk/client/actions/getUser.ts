import { assertObject, assertUserId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { UserView } from "../types";

export interface GetUserParameters {
  /** `usr_` and 24 hex digits. */
  userId: string;
}
export type GetUserReturnType = UserView;

/**
 * One account (GET /v1/users/:id): for its owner, reviewers, admins and
 * auditors (auditors see document numbers masked). Others get a
 * {@link GatewayRequestError} with status 403.
 *
 * @example
 * const user = await reviewer.getUser({ userId: "usr_0123456789abcdef01234567" });
 */
export async function getUser(client: GatewayClientBase, parameters: GetUserParameters): Promise<GetUserReturnType> {
  assertObject(parameters, "parameters");
  assertUserId(parameters.userId);
  return client.request<UserView>("GET", `/v1/users/${parameters.userId}`);
}
