import { assertBoolean, assertDealId, assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { THREAD_ID_PATTERN } from "../../patterns";
import type { DealWorkspaceView } from "../types";

export interface SetThreadConfidentialityParameters {
  dealId: string;
  threadId: string;
  confidential: boolean;
}
export type SetThreadConfidentialityReturnType = DealWorkspaceView["threads"][number];

/**
 * Makes a thread confidential to the deal's parties, broker and manager, or opens it again, for a party
 * (PUT /v1/deals/:id/threads/:threadId/confidentiality).
 *
 * @example
 * await seller.setThreadConfidentiality({ dealId, threadId: "thr_main", confidential: true });
 */
export async function setThreadConfidentiality(
  client: GatewayClientBase,
  parameters: SetThreadConfidentialityParameters,
): Promise<SetThreadConfidentialityReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertMatches(parameters.threadId, THREAD_ID_PATTERN, "threadId", "a thread id (thr_…)");
  assertBoolean(parameters.confidential, "confidential");
  return client.request<SetThreadConfidentialityReturnType>(
    "PUT",
    `/v1/deals/${parameters.dealId}/threads/${parameters.threadId}/confidentiality`,
    { confidential: parameters.confidential },
  );
}
