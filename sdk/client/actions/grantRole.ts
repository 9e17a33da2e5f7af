import { InvalidArgumentError } from "../../errors";
import { assertObject, assertOneOf, assertUserId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { USER_ROLES, type UserRole, type UserView } from "../types";

export interface GrantRoleParameters {
  userId: string;
  role: UserRole;
  /** The holder's professional certificate number; brokers and managers need one, other roles take none. */
  certificateNumber?: string;
}
export type GrantRoleReturnType = UserView;

/**
 * An admin (or the platform's operator) grants a role (POST /v1/users/:id/roles).
 *
 * @example
 * await operator.grantRole({ userId, role: "reviewer" });
 * await admin.grantRole({ userId, role: "broker", certificateNumber: "JSJJ-2026-0042" });
 */
export async function grantRole(
  client: GatewayClientBase,
  parameters: GrantRoleParameters,
): Promise<GrantRoleReturnType> {
  assertObject(parameters, "parameters");
  const { userId, role, certificateNumber } = parameters;
  assertUserId(userId);
  assertOneOf(role, USER_ROLES, "role");
  if (
    certificateNumber !== undefined &&
    (typeof certificateNumber !== "string" || !/^[A-Za-z0-9-]{4,40}$/.test(certificateNumber))
  ) {
    throw new InvalidArgumentError("certificateNumber must be 4–40 letters, digits or -");
  }
  return client.request<UserView>("POST", `/v1/users/${userId}/roles`, {
    role,
    ...(certificateNumber !== undefined ? { certificateNumber } : {}),
  });
}
