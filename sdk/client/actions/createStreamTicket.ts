import type { GatewayClientBase } from "../createGatewayClient";

export type CreateStreamTicketReturnType = { ticket: string; expiresAt: string };

/**
 * A single-use ticket that opens the signed-in user's inbox stream once, within
 * 60 seconds (POST /v1/inbox/stream-tickets): for a browser's `EventSource`,
 * which cannot send the session as a header. The session token never goes in a URL.
 *
 * @example
 * const { ticket } = await me.createStreamTicket();
 * const events = new EventSource(`/v1/inbox/stream?ticket=${encodeURIComponent(ticket)}`);
 * events.addEventListener("notification", (event) => show(JSON.parse(event.data)));
 */
export async function createStreamTicket(client: GatewayClientBase): Promise<CreateStreamTicketReturnType> {
  return client.request<CreateStreamTicketReturnType>("POST", "/v1/inbox/stream-tickets");
}
