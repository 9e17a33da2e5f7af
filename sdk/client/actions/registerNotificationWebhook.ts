import { assertObject, assertString } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";

export interface RegisterNotificationWebhookParameters {
  /** Where the notifications go (http or https; the operator's WEBHOOK_ALLOWED_HOSTS rules apply). */
  url: string;
}
export type RegisterNotificationWebhookReturnType = {
  id: string;
  userId: string;
  url: string;
  /** `whsec_…`: check each delivery with `verifyWebhook(secret, header, body)`; shown this once. */
  secret: string;
  createdAt: string;
};

/**
 * Registers a webhook that receives the signed-in user's notifications, signed
 * as the bank's webhooks are (POST /v1/notification-webhooks; docs/NOTIFICATIONS.md).
 *
 * @example
 * const { id, secret } = await me.registerNotificationWebhook({ url: "https://hooks.example.com/ttl" });
 * // in the receiver: const { type, data } = verifyWebhook(secret, (name) => request.headers[name], rawBody);
 */
export async function registerNotificationWebhook(
  client: GatewayClientBase,
  parameters: RegisterNotificationWebhookParameters,
): Promise<RegisterNotificationWebhookReturnType> {
  assertObject(parameters, "parameters");
  assertString(parameters.url, "url", { max: 2000 });
  return client.request<RegisterNotificationWebhookReturnType>("POST", "/v1/notification-webhooks", {
    url: parameters.url,
  });
}
