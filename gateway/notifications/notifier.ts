import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import { pad, type BatchOperation } from "../store/database";
import type { NotificationRepository } from "./repository";
import type { Notification, NotificationInput } from "./types";

/** Where else a notification goes, in the same write as the inbox entry (a participant's webhooks). */
export interface NotificationOutlet {
  operationsFor(notification: Notification): Promise<BatchOperation[]>;
  /** The write is on disk: deliver what it queued. */
  written(): void;
}

/**
 * Telling users (6.4.3): every notification goes to the user's inbox in the
 * store, to the live streams (Server-Sent Events) the user has open, and to
 * the webhooks the user registered (queued in the inbox entry's own write).
 */
export class Notifier {
  private readonly live = new EventEmitter();
  private readonly closers = new Set<() => void>();
  private outlet: NotificationOutlet | undefined;

  constructor(private readonly tables: NotificationRepository) {
    this.live.setMaxListeners(0);
  }

  /** Also sends every notification through `outlet` (the participants' webhooks). */
  sendThrough(outlet: NotificationOutlet): void {
    this.outlet = outlet;
  }

  async notify(userId: string, notification: NotificationInput): Promise<Notification> {
    const { entry, operations } = await this.prepare(userId, notification);
    await this.tables.database.write(operations, { sync: false });
    this.written([entry]);
    return entry;
  }

  /**
   * The writes that put `notification` in the user's inbox and queue it for
   * their webhooks, for a caller that commits them with its own (a reminder
   * sent and struck off in one write); call `written` once they are on disk.
   */
  async prepare(
    userId: string,
    notification: NotificationInput,
  ): Promise<{ entry: Notification; operations: BatchOperation[] }> {
    const at = new Date();
    const entry: Notification = {
      id: `ntf_${randomBytes(8).toString("hex")}`,
      userId,
      at: at.toISOString(),
      ...notification,
    };
    const operations: BatchOperation[] = [
      {
        type: "put",
        sublevel: this.tables.notifications,
        key: `${userId}\x00${pad(at.getTime(), 15)}${entry.id}`,
        value: entry,
      },
      ...((await this.outlet?.operationsFor(entry)) ?? []),
    ];
    return { entry, operations };
  }

  /** The prepared notifications are on disk: to the live streams and the webhooks. */
  written(entries: readonly Notification[]): void {
    for (const entry of entries) this.live.emit(entry.userId, entry);
    if (entries.length) this.outlet?.written();
  }

  /** The user's notifications, newest first. */
  async inbox(userId: string, limit = 50): Promise<Notification[]> {
    const entries: Notification[] = [];
    for await (const entry of this.tables.notifications.values({
      gte: `${userId}\x00`,
      lt: `${userId}\x01`,
      reverse: true,
      limit,
    })) {
      entries.push(entry);
    }
    return entries;
  }

  /** Calls `listener` with each new notification of `userId` until the returned function is called. */
  subscribe(
    userId: string,
    listener: (notification: Notification) => void,
    onShutdown: () => void = () => {},
  ): () => void {
    this.live.on(userId, listener);
    this.closers.add(onShutdown);
    return () => {
      this.live.off(userId, listener);
      this.closers.delete(onShutdown);
    };
  }

  /** Ends every live stream (the gateway is stopping). */
  closeStreams(): void {
    for (const close of [...this.closers]) close();
  }
}
