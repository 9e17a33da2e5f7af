import type { InboxNotification } from "tech-transfer-ledger/sdk";

/** A notification of a user's inbox: the SDK's shape, which the API answers. */
export type Notification = InboxNotification;

/** What a service hands the notifier: the notification less what the notifier adds. */
export type NotificationInput = Omit<Notification, "id" | "userId" | "at">;

/** A participant's webhook endpoint for their notifications. */
export interface NotificationWebhook {
  id: string;
  userId: string;
  url: string;
  /** `whsec_…`: the signing secret, shown once when registered. */
  secret: string;
  createdAt: string;
}

/** A participant's notification waiting to go to one of their webhooks. */
export interface NotificationWebhookMessage {
  id: string;
  sequence: number;
  webhookId: string;
  userId: string;
  notification: Notification;
  createdAt: string;
  attempts: number;
  nextAttemptAt: number;
}

/** A reminder that a deadline is near, waiting until it is due. */
export interface PendingReminder {
  /** `dealId:milestone:what`: one reminder per deadline. */
  key: string;
  /** When it goes out, in seconds: on the escrow's clock for a deadline on chain, else the gateway's. */
  dueAt: number;
  clock: "escrow" | "gateway";
  deadline: string;
  userIds: string[];
  notification: NotificationInput;
}
