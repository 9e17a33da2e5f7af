import type { Database } from "../store/database";
import type { WebhookAttempt } from "../escrow/types";
import type { Notification, NotificationWebhook, NotificationWebhookMessage, PendingReminder } from "./types";

/** The notifications' tables: inboxes, participants' webhooks with their outbox and log, and pending reminders. */
export class NotificationRepository {
  /** Inbox entries by user: `userId NUL time id` (the table the market's inbox always used). */
  readonly notifications;
  /** A participant's webhook endpoints: `userId NUL webhookId`. */
  readonly webhooks;
  /** Webhooks waiting to go out, by sequence number (zero-padded). */
  readonly webhookOutbox;
  /** Every delivery attempt of a participant's webhook: `webhookId NUL sequence:attempt`. */
  readonly webhookLog;
  /** Reminders not sent yet, by when they are due: `dueAt (seconds, zero-padded) NUL key`. */
  readonly reminders;
  /** A reminder's key (`dealId:milestone:what`) → its entry in `reminders`, to cancel it when the period ends early. */
  readonly reminderKeys;

  constructor(readonly database: Database) {
    this.notifications = database.table<Notification>("notifications");
    this.webhooks = database.table<NotificationWebhook>("notification-webhooks");
    this.webhookOutbox = database.table<NotificationWebhookMessage>("notification-webhook-outbox");
    this.webhookLog = database.table<WebhookAttempt>("notification-webhook-log");
    this.reminders = database.table<PendingReminder>("reminders");
    this.reminderKeys = database.table<string>("reminder-keys", "utf8");
  }
}
