import { assertObject, assertUserId } from "../assert";
import { type RiskRecordView } from "../riskSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface GetRiskRecordParameters {
  /** The party's account id (usr_…). */
  userId: string;
}
export type GetRiskRecordReturnType = RiskRecordView;

/**
 * A party's record (deals, disputes, late deliveries, refunds, complaints, ratings), as risk staff (GET /v1/users/:id/risk-record).
 *
 * @example
 * const record = await operator.getRiskRecord({ userId });
 */
export async function getRiskRecord(
  client: GatewayClientBase,
  parameters: GetRiskRecordParameters,
): Promise<GetRiskRecordReturnType> {
  assertObject(parameters, "parameters");
  const { userId } = parameters;
  assertUserId(userId, "userId");
  return client.request<GetRiskRecordReturnType>("GET", `/v1/users/${userId}/risk-record`);
}
