import { assertBoolean, assertDealId, assertObject, assertString } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { DealWorkspaceView } from "../types";

export interface OpenDealThreadParameters {
  dealId: string;
  title: string;
  /** Confidential to the parties, the broker and the manager (a party's choice). */
  confidential?: boolean;
}
export type OpenDealThreadReturnType = DealWorkspaceView["threads"][number];

/**
 * Opens a message thread in the deal (POST /v1/deals/:id/threads).
 *
 * @example
 * const thread = await seller.openDealThread({ dealId, title: "Royalty base", confidential: true });
 */
export async function openDealThread(
  client: GatewayClientBase,
  parameters: OpenDealThreadParameters,
): Promise<OpenDealThreadReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  assertString(parameters.title, "title", { max: 200 });
  if (parameters.confidential !== undefined) assertBoolean(parameters.confidential, "confidential");
  return client.request<OpenDealThreadReturnType>("POST", `/v1/deals/${parameters.dealId}/threads`, {
    title: parameters.title,
    confidential: parameters.confidential ?? false,
  });
}
