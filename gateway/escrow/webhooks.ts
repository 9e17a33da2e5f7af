import { createHmac, randomBytes } from "node:crypto";
import { type BatchOperation, type Database } from "../store/database";
import type { EscrowRepository } from "./repository";
import { badRequest } from "../errors";
import { RetryLoop } from "../util/retryLoop";
import { webhookHostRefusal } from "./webhookHosts";
import type { WebhookAttempt, WebhookEndpoint, WebhookMessage } from "./types";

const pad = (n: number) => String(n).padStart(12, "0");

export interface WebhookOptions {
  /** First wait after a failed delivery; doubles per attempt up to `maxBackoffMs`. */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** How long one delivery may take before it counts as failed. */
  timeoutMs: number;
  pollMs: number;
  /** WEBHOOK_ALLOWED_HOSTS: the hosts webhooks may go to (see `webhookHostRefusal`); unset, any but internal ones. */
  allowedHosts?: readonly string[];
  log?: (message: string) => void;
  clock?: () => number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = {
  minBackoffMs: 1000,
  maxBackoffMs: 5 * 60_000,
  timeoutMs: 10_000,
  pollMs: 250,
};

/**
 * Signs a webhook the way Standard Webhooks does: `webhook-signature` is
 * `v1,` and the base64 HMAC-SHA256, under the endpoint's secret, of
 * `id.timestamp.body`. The bank checks it with the SDK's `verifyWebhook`.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/**
 * What every webhook outbox shares (the bank's, and the participants' in
 * gateway/notifications/webhooks.ts): its options, the retry loop that delivers
 * what is due, and the sequence the next queued message takes (one past the
 * outbox's last key, read at start).
 */
export abstract class WebhookOutbox {
  protected nextSequence = 1;
  protected readonly loop: RetryLoop;
  protected readonly options: WebhookOptions;

  constructor(
    private readonly outbox: {
      database: { lastKey: Database["lastKey"] };
      table: Parameters<Database["lastKey"]>[0];
    },
    name: string,
    options: Partial<WebhookOptions>,
  ) {
    this.options = { ...DEFAULT_WEBHOOK_OPTIONS, ...options };
    this.loop = new RetryLoop(() => this.deliverDue(), {
      name,
      pollMs: this.options.pollMs,
      minBackoffMs: this.options.pollMs,
      maxBackoffMs: this.options.pollMs * 8,
      log: this.options.log,
    });
  }

  /** Delivers what is due; whether there may be more to deliver at once. */
  protected abstract deliverDue(): Promise<boolean>;

  /** What the outbox reads back at start besides its sequence (none unless a subclass says). */
  protected async restore(): Promise<void> {}

  async start(): Promise<void> {
    const last = await this.outbox.database.lastKey(this.outbox.table);
    this.nextSequence = last === undefined ? 1 : Number(last) + 1;
    await this.restore();
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  protected now(): number {
    return (this.options.clock ?? Date.now)();
  }
}

/**
 * Pushes what the bank must know (instructions, locked deposits) to the bank's
 * webhook endpoint: each message is written to an outbox in the same atomic
 * write as the event it reports, then delivered, signed, and retried with
 * doubling backoff until the bank answers 2xx. A bank away for a while loses
 * nothing: messages wait and go out when it is back. Every attempt is logged.
 * Messages carry a sequence number and instructions a version, so the bank can
 * put what arrives out of order right and drop duplicates.
 */
export class WebhookDispatcher extends WebhookOutbox {
  /** The last sequence delivered with all before it: messages go out in order, so the rest wait after it. */
  private deliveredThrough = 0;

  constructor(
    private readonly tables: EscrowRepository,
    options: Partial<WebhookOptions> = {},
  ) {
    super({ database: tables.database, table: tables.webhookOutbox }, "webhooks to the bank", options);
  }

  protected async restore(): Promise<void> {
    this.deliveredThrough = (await this.tables.webhooksDeliveredThrough.get()) ?? 0;
  }

  /** The write that queues a message; goes into the batch of the event it reports. */
  enqueue(type: WebhookMessage["type"], payload: Record<string, unknown>): BatchOperation {
    const sequence = this.nextSequence++;
    const message: WebhookMessage = {
      id: `msg_${randomBytes(12).toString("hex")}`,
      sequence,
      type,
      payload,
      createdAt: new Date(this.now()).toISOString(),
      attempts: 0,
      nextAttemptAt: 0,
    };
    queueMicrotask(() => this.loop.poke());
    return { type: "put", sublevel: this.tables.webhookOutbox, key: pad(sequence), value: message };
  }

  /** Sets where webhooks go; answers the new signing secret, shown this once. */
  async setEndpoint(url: string): Promise<WebhookEndpoint> {
    const refusal = webhookHostRefusal(new URL(url), this.options.allowedHosts);
    if (refusal) throw badRequest("WEBHOOK_HOST_NOT_ALLOWED", refusal);
    const endpoint: WebhookEndpoint = {
      url,
      secret: `whsec_${randomBytes(32).toString("base64")}`,
      createdAt: new Date(this.now()).toISOString(),
    };
    await this.tables.database.write([
      { type: "put", sublevel: this.tables.webhookEndpoint, key: "bank", value: endpoint },
    ]);
    this.loop.poke();
    return endpoint;
  }

  async endpoint(): Promise<WebhookEndpoint | undefined> {
    return this.tables.webhookEndpoint.get("bank");
  }

  /** Messages not delivered yet, oldest first (read from the first waiting one, not from the start). */
  async undelivered(limit = 1000): Promise<WebhookMessage[]> {
    const waiting: WebhookMessage[] = [];
    for await (const message of this.tables.webhookOutbox.values({ gt: pad(this.deliveredThrough) })) {
      if (!message.deliveredAt) waiting.push(message);
      if (waiting.length >= limit) break;
    }
    return waiting;
  }

  /** The delivery log, newest first. */
  async attempts(limit = 100): Promise<WebhookAttempt[]> {
    const log: WebhookAttempt[] = [];
    for await (const attempt of this.tables.webhookLog.values({ reverse: true, limit })) log.push(attempt);
    return log.sort((a, b) => b.at.localeCompare(a.at));
  }

  /** Delivers every message that is due; true when it delivered any. */
  protected async deliverDue(): Promise<boolean> {
    const endpoint = await this.endpoint();
    if (!endpoint) return false;
    // In sequence order, one at a time, stopping at the first that fails or is
    // waiting out its backoff: the bank sees messages in order when it is up, and
    // a bank that is down gets one retry at a time, not the whole backlog.
    let delivered = false;
    for (const message of await this.undelivered(50)) {
      if (message.nextAttemptAt > this.now()) break;
      if (!(await this.deliver(endpoint, message))) break;
      delivered = true;
    }
    return delivered;
  }

  private async deliver(endpoint: WebhookEndpoint, message: WebhookMessage): Promise<boolean> {
    const attempt = await sendWebhook(
      endpoint,
      {
        id: message.id,
        attempt: message.attempts + 1,
        body: { sequence: message.sequence, type: message.type, data: message.payload },
      },
      this.options,
    );
    const ok = webhookDelivered(attempt);
    const next: WebhookMessage = {
      ...message,
      attempts: message.attempts + 1,
      deliveredAt: ok ? attempt.at : undefined,
      nextAttemptAt: ok ? 0 : this.now() + webhookBackoffMs(message.attempts, this.options),
    };
    // Delivered in order: this one and everything before it are done.
    const advances = ok && message.sequence > this.deliveredThrough;
    await this.tables.database.write([
      ...(advances ? [this.tables.webhooksDeliveredThrough.put(message.sequence)] : []),
      { type: "put", sublevel: this.tables.webhookOutbox, key: pad(message.sequence), value: next },
      {
        type: "put",
        sublevel: this.tables.webhookLog,
        key: `${pad(message.sequence)}:${pad(attempt.attempt)}`,
        value: attempt,
      },
    ]);
    if (advances) this.deliveredThrough = message.sequence;
    return ok;
  }
}

/**
 * One signed delivery of a webhook (the bank's, a participant's): posts
 * `{ id, ...body }` to the endpoint with the Standard Webhooks headers, under the
 * host rules, without following redirects, within the timeout; answers the
 * attempt for the delivery log (a status, or the error).
 */
export async function sendWebhook(
  endpoint: { url: string; secret: string },
  message: { id: string; attempt: number; body: Record<string, unknown> },
  options: Pick<WebhookOptions, "timeoutMs" | "allowedHosts" | "clock">,
): Promise<WebhookAttempt> {
  const now = (options.clock ?? Date.now)();
  const body = JSON.stringify({ id: message.id, ...message.body });
  const timestamp = Math.floor(now / 1000);
  const started = Date.now();
  const attempt: WebhookAttempt = {
    messageId: message.id,
    attempt: message.attempt,
    at: new Date(now).toISOString(),
    url: endpoint.url,
    durationMs: 0,
  };
  // The allowlist may have changed since the URL was set: it holds for every delivery.
  const refusal = webhookHostRefusal(new URL(endpoint.url), options.allowedHosts);
  try {
    if (refusal) throw new Error(refusal);
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": message.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signWebhook(endpoint.secret, message.id, timestamp, body),
      },
      body,
      // A redirect is not followed: it could lead to a host the allowlist refuses.
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    attempt.status = response.status;
  } catch (error) {
    attempt.error = (error as Error).name === "TimeoutError" ? "timed out" : String((error as Error).message);
  }
  attempt.durationMs = Date.now() - started;
  return attempt;
}

/** Whether the endpoint took the webhook (a 2xx). */
export function webhookDelivered(attempt: WebhookAttempt): boolean {
  return attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
}

/** The wait after the `attempts`-th failed delivery: doubling from `minBackoffMs`, at most `maxBackoffMs`. */
export function webhookBackoffMs(attempts: number, options: Pick<WebhookOptions, "minBackoffMs" | "maxBackoffMs">) {
  return Math.min(options.minBackoffMs * 2 ** attempts, options.maxBackoffMs);
}
