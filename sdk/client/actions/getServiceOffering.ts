import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { OFFERING_ID_PATTERN, type ServiceOfferingView } from "../serviceSchemas";

export interface GetServiceOfferingParameters {
  offeringId: string;
}
export type GetServiceOfferingReturnType = ServiceOfferingView;

/**
 * One offering with its qualifications and their review (GET /v1/service-offerings/:id).
 *
 * @example
 * const offering = await company.getServiceOffering({ offeringId });
 */
export async function getServiceOffering(
  client: GatewayClientBase,
  parameters: GetServiceOfferingParameters,
): Promise<GetServiceOfferingReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.offeringId, OFFERING_ID_PATTERN, "offeringId", "an offering id (svo_…)");
  return client.request<GetServiceOfferingReturnType>("GET", `/v1/service-offerings/${parameters.offeringId}`);
}
