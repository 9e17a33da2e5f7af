import { assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { InboxNotification } from "../types";

export interface GetInboxParameters {
  /** At most 200. */
  limit?: number;
}
export type GetInboxReturnType = { notifications: InboxNotification[] };

/**
 * The signed-in user's notifications, newest first (GET /v1/inbox, 6.4.3).
 *
 * @example
 * const { notifications } = await me.getInbox({ limit: 20 });
 */
export async function getInbox(
  client: GatewayClientBase,
  parameters?: GetInboxParameters,
): Promise<GetInboxReturnType> {
  if (parameters !== undefined) assertObject(parameters, "parameters");
  const search = new URLSearchParams();
  if (parameters?.limit !== undefined) search.set("limit", String(parameters.limit));
  const query = search.size ? `?${search}` : "";
  return client.request<GetInboxReturnType>("GET", `/v1/inbox${query}`);
}
