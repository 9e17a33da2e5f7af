import { assertObject, assertString } from "../assert";
import type { GatewayRequester } from "../createGatewayClient";

export interface SetWebhookParameters {
  url: string;
}
export type SetWebhookReturnType = { url: string; secret: string; createdAt: string };

/**
 * Sets the URL the gateway's webhooks go to (PUT /v1/bank/webhook), for the bank; answers a new
 * signing secret, shown once, that `verifyWebhook` checks deliveries with. Takes any client with
 * `request`: the bank's signs its requests (`signRequest`).
 *
 * @example
 * const { secret } = await setWebhook(bankApi, { url: "https://bank.example.cn/ttl/webhooks" });
 */
export async function setWebhook(
  client: GatewayRequester,
  parameters: SetWebhookParameters,
): Promise<SetWebhookReturnType> {
  assertObject(parameters, "parameters");
  assertString(parameters.url, "url", { max: 2000 });
  return client.request<SetWebhookReturnType>("PUT", `/v1/bank/webhook`, { url: parameters.url });
}
