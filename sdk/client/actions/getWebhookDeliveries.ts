import { assertObject } from "../assert";
import type { GatewayRequester } from "../createGatewayClient";

export interface GetWebhookDeliveriesParameters {
  /** At most 1,000; 100 by default. */
  limit?: number;
}
export type GetWebhookDeliveriesReturnType = {
  endpoint?: string;
  attempts: Array<{
    messageId: string;
    attempt: number;
    at: string;
    url: string;
    status?: number;
    error?: string;
    durationMs: number;
  }>;
  waiting: Array<{
    id: string;
    sequence: number;
    type: string;
    payload: Record<string, unknown>;
    createdAt: string;
    attempts: number;
    nextAttemptAt: number;
    deliveredAt?: string;
  }>;
};

/**
 * The webhook delivery log, newest first, and what waits to be delivered (GET
 * /v1/bank/webhook/deliveries), for the bank and overseers. Takes any client with `request`: the
 * bank's signs its requests (`signRequest`).
 *
 * @example
 * const { attempts, waiting } = await getWebhookDeliveries(bankApi, { limit: 20 });
 */
export async function getWebhookDeliveries(
  client: GatewayRequester,
  parameters?: GetWebhookDeliveriesParameters,
): Promise<GetWebhookDeliveriesReturnType> {
  if (parameters !== undefined) assertObject(parameters, "parameters");
  const search = new URLSearchParams();
  if (parameters?.limit !== undefined) search.set("limit", String(parameters.limit));
  const query = search.size ? `?${search}` : "";
  return client.request<GetWebhookDeliveriesReturnType>("GET", `/v1/bank/webhook/deliveries${query}`);
}
