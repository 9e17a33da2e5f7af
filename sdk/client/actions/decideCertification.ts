import { assertBoolean, assertObject, assertString, assertUserId } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { UserView } from "../types";

export interface DecideCertificationParameters {
  /** The account under review. */
  userId: string;
  approved: boolean;
  /** Why; the gateway requires one for a rejection (`REASON_REQUIRED`), for the applicant to act on. */
  reason?: string;
}
export type DecideCertificationReturnType = UserView;

/**
 * A reviewer approves or rejects a pending certification
 * (POST /v1/users/:id/certification/decision).
 *
 * @example
 * await reviewer.decideCertification({ userId, approved: true });
 * await reviewer.decideCertification({ userId, approved: false, reason: "the licence scan is unreadable" });
 */
export async function decideCertification(
  client: GatewayClientBase,
  parameters: DecideCertificationParameters,
): Promise<DecideCertificationReturnType> {
  assertObject(parameters, "parameters");
  const { userId, approved, reason } = parameters;
  assertUserId(userId);
  assertBoolean(approved, "approved");
  if (reason !== undefined) assertString(reason, "reason", { max: 1000 });
  return client.request<UserView>("POST", `/v1/users/${userId}/certification/decision`, {
    approved,
    ...(reason !== undefined ? { reason } : {}),
  });
}
