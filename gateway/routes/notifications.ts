import { PassThrough } from "node:stream";
import { z } from "zod";
import { defineRoute, type Route } from "../http/route";
import type { Notifier } from "../notifications/notifier";
import type { StreamTickets } from "../notifications/streamTickets";
import type { NotificationWebhooks } from "../notifications/webhooks";

const refusals = {
  400: { description: "Invalid input" },
  401: { description: "No credential, or a bad or expired one" },
  403: { description: "Not a signed-in user" },
};
const signedIn = { roles: [] as const, anyUser: true };
const HEARTBEAT_MS = 15_000;
const WEBHOOK_ID_PATTERN = /^whk_[0-9a-f]{16}$/;

/** The inbox, its live stream (with stream tickets for browsers) and a user's webhooks (docs/NOTIFICATIONS.md). */
export function notificationRoutes(deps: {
  notifier: Notifier;
  streamTickets: StreamTickets;
  notificationWebhooks: NotificationWebhooks;
}): Route[] {
  const { notifier, streamTickets, notificationWebhooks } = deps;
  return [
    defineRoute({
      method: "GET",
      path: "/v1/inbox",
      summary: "The signed-in user's notifications (6.4.3), newest first",
      tags: ["notifications"],
      access: signedIn,
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }),
      responses: { 200: { description: "Notifications" }, ...refusals },
      async handler({ query, principal }) {
        return { status: 200, body: { notifications: await notifier.inbox(principal!.id, query.limit) } };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/inbox/stream-tickets",
      summary: "A single-use ticket that opens one inbox stream within 60 s (for a browser's EventSource)",
      tags: ["notifications"],
      access: signedIn,
      responses: { 201: { description: "`{ ticket, expiresAt }`" }, ...refusals },
      handler({ principal }) {
        return { status: 201, body: streamTickets.issue(principal!) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/inbox/stream",
      summary:
        "New notifications as they happen (Server-Sent Events): send the session as Authorization: Bearer, or a stream ticket as ?ticket=",
      tags: ["notifications"],
      access: signedIn,
      query: z.object({ ticket: z.string().max(100).optional() }),
      ticket: (ticket) => streamTickets.redeem(ticket),
      responses: {
        200: {
          description: "An event stream: `event: notification` with the notification as JSON",
          contentType: "text/event-stream",
        },
        ...refusals,
        401: { description: "No credential, a bad or expired one, or a stream ticket unknown, used or expired" },
      },
      handler({ principal, ctx }) {
        const stream = new PassThrough();
        stream.write(": connected\n\n");
        const close = () => {
          clearInterval(heartbeat);
          unsubscribe();
          stream.end();
        };
        const unsubscribe = notifier.subscribe(
          principal!.id,
          (notification) => {
            stream.write(`event: notification\nid: ${notification.id}\ndata: ${JSON.stringify(notification)}\n\n`);
          },
          close,
        );
        const heartbeat = setInterval(() => stream.write(": heartbeat\n\n"), HEARTBEAT_MS);
        ctx.req.on("close", close);
        ctx.req.socket.setTimeout(0);
        return {
          status: 200,
          type: "text/event-stream; charset=utf-8",
          headers: { "Cache-Control": "no-cache", Connection: "keep-alive", "X-Accel-Buffering": "no" },
          body: stream,
        };
      },
    }),
    defineRoute({
      method: "POST",
      path: "/v1/notification-webhooks",
      summary: "Register a webhook for your notifications, signed as the bank's are; answers its secret, shown once",
      tags: ["notifications"],
      access: signedIn,
      body: z.strictObject({ url: z.url({ protocol: /^https?$/ }) }),
      responses: {
        201: { description: "The webhook: `{ id, userId, url, secret, createdAt }`" },
        ...refusals,
        400: { description: "Invalid input, or a host the operator does not allow (WEBHOOK_HOST_NOT_ALLOWED)" },
        409: { description: "Five webhooks already (TOO_MANY_WEBHOOKS)" },
      },
      async handler({ body, principal }) {
        return { status: 201, body: await notificationWebhooks.register(principal!.id, body.url) };
      },
    }),
    defineRoute({
      method: "GET",
      path: "/v1/notification-webhooks",
      summary: "Your webhooks (without their secrets), each with its last delivery attempt",
      tags: ["notifications"],
      access: signedIn,
      responses: { 200: { description: "`{ webhooks }`" }, ...refusals },
      async handler({ principal }) {
        return { status: 200, body: { webhooks: await notificationWebhooks.list(principal!.id) } };
      },
    }),
    defineRoute({
      method: "DELETE",
      path: "/v1/notification-webhooks/:id",
      summary: "Delete one of your webhooks; what waited for it is dropped",
      tags: ["notifications"],
      access: signedIn,
      params: z.object({ id: z.string().regex(WEBHOOK_ID_PATTERN, "a webhook id (whk_…)") }),
      responses: {
        204: { description: "Deleted" },
        ...refusals,
        404: { description: "You have no such webhook (WEBHOOK_NOT_FOUND)" },
      },
      async handler({ params, principal }) {
        await notificationWebhooks.remove(principal!.id, params.id);
        return { status: 204, body: null };
      },
    }),
  ];
}
