import { assertBoolean, assertObject, assertString, assertUserId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { UserView } from "../types";

export interface SetSuspendedParameters {
  userId: string;
  /** `true` suspends the account, `false` reinstates it. */
  suspended: boolean;
  /** Why; recorded as evidence. */
  reason: string;
}
export type SetSuspendedReturnType = UserView;

/**
 * An admin suspends or reinstates an account (POST /v1/users/:id/suspension).
 * A suspended account's sessions stop working at once.
 *
 * @example
 * await admin.setSuspended({ userId, suspended: true, reason: "licence revoked by the market regulator" });
 */
export async function setSuspended(
  client: GatewayClientBase,
  parameters: SetSuspendedParameters,
): Promise<SetSuspendedReturnType> {
  assertObject(parameters, "parameters");
  const { userId, suspended, reason } = parameters;
  assertUserId(userId);
  assertBoolean(suspended, "suspended");
  assertString(reason, "reason", { max: 1000 });
  return client.request<UserView>("POST", `/v1/users/${userId}/suspension`, { suspended, reason });
}
