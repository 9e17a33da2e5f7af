import { assertMatches, assertObject } from "../assert";
import { COMPLAINT_ID_PATTERN, type ComplaintView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface AnswerComplaintParameters {
  complaintId: string;
  text: string;
}
export type AnswerComplaintReturnType = ComplaintView;

/**
 * Answers an open or reopened complaint, as the operator (POST /v1/complaints/:complaintId/answer).
 *
 * @example
 * const complaint = await operator.answerComplaint({ complaintId, text: "Resent today" });
 */
export async function answerComplaint(
  client: GatewayClientBase,
  parameters: AnswerComplaintParameters,
): Promise<AnswerComplaintReturnType> {
  assertObject(parameters, "parameters");
  const { complaintId, text } = parameters;
  assertMatches(complaintId, COMPLAINT_ID_PATTERN, "complaintId", "a complaint id (cmp_…)");
  return client.request<AnswerComplaintReturnType>("POST", `/v1/complaints/${complaintId}/answer`, { text });
}
