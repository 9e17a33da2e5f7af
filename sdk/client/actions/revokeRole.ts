import { assertObject, assertOneOf, assertUserId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { USER_ROLES, type UserRole, type UserView } from "../types";

export interface RevokeRoleParameters {
  userId: string;
  role: UserRole;
}
export type RevokeRoleReturnType = UserView;

/**
 * An admin revokes a role (DELETE /v1/users/:id/roles/:role); it stops working at once.
 *
 * @example
 * await admin.revokeRole({ userId, role: "reviewer" });
 */
export async function revokeRole(
  client: GatewayClientBase,
  parameters: RevokeRoleParameters,
): Promise<RevokeRoleReturnType> {
  assertObject(parameters, "parameters");
  const { userId, role } = parameters;
  assertUserId(userId);
  assertOneOf(role, USER_ROLES, "role");
  return client.request<UserView>("DELETE", `/v1/users/${userId}/roles/${role}`);
}
