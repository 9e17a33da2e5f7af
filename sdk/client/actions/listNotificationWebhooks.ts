import type { GatewayClientBase } from "../createGatewayClient";

export type ListNotificationWebhooksReturnType = {
  webhooks: Array<{
    id: string;
    userId: string;
    url: string;
    createdAt: string;
    /** The last delivery attempt: its HTTP status or its error. */
    lastAttempt?: {
      messageId: string;
      attempt: number;
      at: string;
      status?: number;
      error?: string;
      durationMs: number;
    };
  }>;
};

/**
 * The signed-in user's notification webhooks, without their secrets (GET /v1/notification-webhooks).
 *
 * @example
 * const { webhooks } = await me.listNotificationWebhooks();
 */
export async function listNotificationWebhooks(client: GatewayClientBase): Promise<ListNotificationWebhooksReturnType> {
  return client.request<ListNotificationWebhooksReturnType>("GET", "/v1/notification-webhooks");
}
