import { assertDealId, assertObject } from "../assert";
import { type CheckInView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface ListCheckInsParameters {
  dealId: string;
}
export type ListCheckInsReturnType = { checkIns: CheckInView[] };

/**
 * The deal's check-ins, soonest due first, with their answers (GET /v1/deals/:id/check-ins).
 *
 * @example
 * const { checkIns } = await me.listCheckIns({ dealId });
 */
export async function listCheckIns(
  client: GatewayClientBase,
  parameters: ListCheckInsParameters,
): Promise<ListCheckInsReturnType> {
  assertObject(parameters, "parameters");
  const { dealId } = parameters;
  assertDealId(dealId);
  return client.request<ListCheckInsReturnType>("GET", `/v1/deals/${dealId}/check-ins`);
}
