import { assertMatches, assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";

export interface DeleteNotificationWebhookParameters {
  webhookId: string;
}
export type DeleteNotificationWebhookReturnType = void;

/**
 * Deletes one of the signed-in user's notification webhooks (DELETE /v1/notification-webhooks/:id).
 *
 * @example
 * await me.deleteNotificationWebhook({ webhookId });
 */
export async function deleteNotificationWebhook(
  client: GatewayClientBase,
  parameters: DeleteNotificationWebhookParameters,
): Promise<DeleteNotificationWebhookReturnType> {
  assertObject(parameters, "parameters");
  assertMatches(parameters.webhookId, /^whk_[0-9a-f]{16}$/, "webhookId", "a webhook id (whk_ and 16 hex digits)");
  return client.request<DeleteNotificationWebhookReturnType>(
    "DELETE",
    `/v1/notification-webhooks/${parameters.webhookId}`,
  );
}
