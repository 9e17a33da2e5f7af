import { assertMatches, assertObject } from "../assert";
import { COMPLAINT_ID_PATTERN, type ComplaintView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface GetComplaintParameters {
  complaintId: string;
}
export type GetComplaintReturnType = ComplaintView;

/**
 * One complaint with its steps (GET /v1/complaints/:complaintId).
 *
 * @example
 * const complaint = await me.getComplaint({ complaintId });
 */
export async function getComplaint(
  client: GatewayClientBase,
  parameters: GetComplaintParameters,
): Promise<GetComplaintReturnType> {
  assertObject(parameters, "parameters");
  const { complaintId } = parameters;
  assertMatches(complaintId, COMPLAINT_ID_PATTERN, "complaintId", "a complaint id (cmp_…)");
  return client.request<GetComplaintReturnType>("GET", `/v1/complaints/${complaintId}`);
}
