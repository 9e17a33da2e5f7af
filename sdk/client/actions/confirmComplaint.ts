import { assertMatches, assertObject } from "../assert";
import { COMPLAINT_ID_PATTERN, type ComplaintView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface ConfirmComplaintParameters {
  complaintId: string;
}
export type ConfirmComplaintReturnType = ComplaintView;

/**
 * Accepts the operator's answer, closing the complaint, as its complainant (POST /v1/complaints/:complaintId/confirm).
 *
 * @example
 * const complaint = await demander.confirmComplaint({ complaintId });
 */
export async function confirmComplaint(
  client: GatewayClientBase,
  parameters: ConfirmComplaintParameters,
): Promise<ConfirmComplaintReturnType> {
  assertObject(parameters, "parameters");
  const { complaintId } = parameters;
  assertMatches(complaintId, COMPLAINT_ID_PATTERN, "complaintId", "a complaint id (cmp_…)");
  return client.request<ConfirmComplaintReturnType>("POST", `/v1/complaints/${complaintId}/confirm`, {});
}
