import { randomBytes } from "node:crypto";
import type { BatchOperation } from "../store/database";
import { badRequest, conflict, notFound } from "../errors";
import {
  WebhookOutbox,
  sendWebhook,
  webhookBackoffMs,
  webhookDelivered,
  type WebhookOptions,
} from "../escrow/webhooks";
import { webhookHostRefusal } from "../escrow/webhookHosts";
import type { WebhookAttempt } from "../escrow/types";
import type { NotificationOutlet } from "./notifier";
import type { NotificationRepository } from "./repository";
import type { Notification, NotificationWebhook, NotificationWebhookMessage } from "./types";

const pad = (n: number) => String(n).padStart(12, "0");
/** A user keeps a few endpoints (a mail bridge, a chat bridge, a test one), not a fan-out service. */
export const MAX_WEBHOOKS_PER_USER = 5;

/** A participant's webhook as listed: never its secret. */
export type NotificationWebhookView = Omit<NotificationWebhook, "secret"> & { lastAttempt?: WebhookAttempt };

/**
 * A participant's own webhooks for their notifications: the bank's machinery
 * (gateway/escrow/webhooks.ts: the same signature, `sendWebhook`, backoff and
 * host rules), with one outbox for every participant's endpoints. Each
 * notification is queued in the inbox entry's own write, so none is lost to a
 * stop; an endpoint that fails waits out its backoff without holding up the
 * others, and its messages still go out in order.
 */
export class NotificationWebhooks extends WebhookOutbox implements NotificationOutlet {
  constructor(
    private readonly tables: NotificationRepository,
    options: Partial<WebhookOptions> = {},
  ) {
    super({ database: tables.database, table: tables.webhookOutbox }, "participants' webhooks", options);
  }

  /** Registers `url` for the user's notifications; answers the endpoint with its signing secret, shown this once. */
  async register(userId: string, url: string): Promise<NotificationWebhook> {
    const refusal = webhookHostRefusal(new URL(url), this.options.allowedHosts);
    if (refusal) throw badRequest("WEBHOOK_HOST_NOT_ALLOWED", refusal);
    if ((await this.endpointsOf(userId)).length >= MAX_WEBHOOKS_PER_USER) {
      throw conflict(
        "TOO_MANY_WEBHOOKS",
        `you have ${MAX_WEBHOOKS_PER_USER} webhooks already: delete one before registering another`,
      );
    }
    const webhook: NotificationWebhook = {
      id: `whk_${randomBytes(8).toString("hex")}`,
      userId,
      url,
      secret: `whsec_${randomBytes(32).toString("base64")}`,
      createdAt: new Date(this.now()).toISOString(),
    };
    await this.tables.database.write([
      { type: "put", sublevel: this.tables.webhooks, key: `${userId}\x00${webhook.id}`, value: webhook },
    ]);
    return webhook;
  }

  /** The user's webhooks, without their secrets, each with its last delivery attempt. */
  async list(userId: string): Promise<NotificationWebhookView[]> {
    const views: NotificationWebhookView[] = [];
    for (const { secret: _secret, ...webhook } of await this.endpointsOf(userId)) {
      let lastAttempt: WebhookAttempt | undefined;
      for await (const attempt of this.tables.webhookLog.values({
        gte: `${webhook.id}\x00`,
        lt: `${webhook.id}\x01`,
        reverse: true,
        limit: 1,
      })) {
        lastAttempt = attempt;
      }
      views.push({ ...webhook, ...(lastAttempt && { lastAttempt }) });
    }
    return views;
  }

  /** Deletes one of the user's webhooks; what waited for it is dropped as it comes up. */
  async remove(userId: string, id: string): Promise<void> {
    const key = `${userId}\x00${id}`;
    if (!(await this.tables.webhooks.get(key))) {
      throw notFound("WEBHOOK_NOT_FOUND", `you have no webhook ${id}`);
    }
    await this.tables.database.write([{ type: "del", sublevel: this.tables.webhooks, key }]);
  }

  private async endpointsOf(userId: string): Promise<NotificationWebhook[]> {
    const endpoints: NotificationWebhook[] = [];
    for await (const webhook of this.tables.webhooks.values({ gte: `${userId}\x00`, lt: `${userId}\x01` })) {
      endpoints.push(webhook);
    }
    return endpoints;
  }

  /** The outbox entries of `notification`, one per webhook of its user. */
  async operationsFor(notification: Notification): Promise<BatchOperation[]> {
    const createdAt = new Date(this.now()).toISOString();
    return (await this.endpointsOf(notification.userId)).map((webhook) => {
      const sequence = this.nextSequence++;
      const message: NotificationWebhookMessage = {
        id: `msg_${randomBytes(12).toString("hex")}`,
        sequence,
        webhookId: webhook.id,
        userId: webhook.userId,
        notification,
        createdAt,
        attempts: 0,
        nextAttemptAt: 0,
      };
      return { type: "put", sublevel: this.tables.webhookOutbox, key: pad(sequence), value: message };
    });
  }

  written(): void {
    this.loop.poke();
  }

  /** Delivers what is due, oldest first; an endpoint that fails waits, the others go on. True when any went out. */
  protected async deliverDue(): Promise<boolean> {
    const waiting = new Set<string>();
    let delivered = false;
    for await (const message of this.tables.webhookOutbox.values({ limit: 200 })) {
      if (waiting.has(message.webhookId)) continue;
      const webhook = await this.tables.webhooks.get(`${message.userId}\x00${message.webhookId}`);
      if (!webhook) {
        await this.tables.database.write([
          { type: "del", sublevel: this.tables.webhookOutbox, key: pad(message.sequence) },
        ]);
        continue;
      }
      // In order per endpoint: one waiting out its backoff holds back its later messages.
      if (message.nextAttemptAt > this.now() || !(await this.deliver(webhook, message))) {
        waiting.add(message.webhookId);
        continue;
      }
      delivered = true;
    }
    return delivered;
  }

  private async deliver(webhook: NotificationWebhook, message: NotificationWebhookMessage): Promise<boolean> {
    const attempt = await sendWebhook(
      webhook,
      {
        id: message.id,
        attempt: message.attempts + 1,
        body: { sequence: message.sequence, type: message.notification.kind, data: message.notification },
      },
      this.options,
    );
    const ok = webhookDelivered(attempt);
    const key = pad(message.sequence);
    await this.tables.database.write([
      ok
        ? { type: "del", sublevel: this.tables.webhookOutbox, key }
        : {
            type: "put",
            sublevel: this.tables.webhookOutbox,
            key,
            value: {
              ...message,
              attempts: message.attempts + 1,
              nextAttemptAt: this.now() + webhookBackoffMs(message.attempts, this.options),
            },
          },
      {
        type: "put",
        sublevel: this.tables.webhookLog,
        key: `${webhook.id}\x00${key}:${pad(attempt.attempt)}`,
        value: attempt,
      },
    ]);
    return ok;
  }
}
