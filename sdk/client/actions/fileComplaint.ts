import { assertDealId, assertObject, assertUserId } from "../assert";
import { type ComplaintView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

export interface FileComplaintParameters {
  dealId: string;
  /** A participant's user id, or `platform`. */
  against: string;
  text: string;
}
export type FileComplaintReturnType = ComplaintView;

/**
 * Files a complaint against a participant of the deal or the platform, as a participant (POST /v1/complaints).
 *
 * @example
 * const complaint = await demander.fileComplaint({ dealId, against: "platform", text: "The escrow page is slow" });
 */
export async function fileComplaint(
  client: GatewayClientBase,
  parameters: FileComplaintParameters,
): Promise<FileComplaintReturnType> {
  assertObject(parameters, "parameters");
  const { dealId, against, text } = parameters;
  assertDealId(dealId);
  if (against !== "platform") assertUserId(against, "against");
  return client.request<FileComplaintReturnType>("POST", "/v1/complaints", { dealId, against, text });
}
