import { assertMatches, assertObject } from "../assert";
import { COMPLAINT_ID_PATTERN, type ComplaintView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface ReopenComplaintParameters {
  complaintId: string;
  reason: string;
}
export type ReopenComplaintReturnType = ComplaintView;

/**
 * Reopens an answered complaint with a reason, as its complainant (POST /v1/complaints/:complaintId/reopen).
 *
 * @example
 * const complaint = await demander.reopenComplaint({ complaintId, reason: "Nothing was resent" });
 */
export async function reopenComplaint(
  client: GatewayClientBase,
  parameters: ReopenComplaintParameters,
): Promise<ReopenComplaintReturnType> {
  assertObject(parameters, "parameters");
  const { complaintId, reason } = parameters;
  assertMatches(complaintId, COMPLAINT_ID_PATTERN, "complaintId", "a complaint id (cmp_…)");
  return client.request<ReopenComplaintReturnType>("POST", `/v1/complaints/${complaintId}/reopen`, { reason });
}
