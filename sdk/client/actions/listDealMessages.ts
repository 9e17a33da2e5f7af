import { assertDealId, assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import { THREAD_ID_PATTERN } from "../../patterns";
import type { DealMessageView } from "../types";

export interface ListDealMessagesParameters {
  dealId: string;
  /** One thread only. */
  threadId?: string;
}
export type ListDealMessagesReturnType = { messages: DealMessageView[] };

/**
 * The deal's messages the caller may read, oldest first (GET /v1/deals/:id/messages).
 *
 * @example
 * const { messages } = await me.listDealMessages({ dealId });
 */
export async function listDealMessages(
  client: GatewayClientBase,
  parameters: ListDealMessagesParameters,
): Promise<ListDealMessagesReturnType> {
  assertObject(parameters, "parameters");
  assertDealId(parameters.dealId);
  if (parameters.threadId !== undefined) {
    assertMatches(parameters.threadId, THREAD_ID_PATTERN, "threadId", "a thread id (thr_…)");
  }
  const query = parameters.threadId ? `?thread=${parameters.threadId}` : "";
  return client.request<ListDealMessagesReturnType>("GET", `/v1/deals/${parameters.dealId}/messages${query}`);
}
