import type { Notification } from "./types";
import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import { pad } from "../store/database";
import type { MarketRepository } from "./repository";

/**
 * Telling users (6.4.3): every notification goes to the user's inbox in the
 * store, and to the live streams (Server-Sent Events) the user has open.
 */
export class Notifier {
  private readonly live = new EventEmitter();
  private readonly closers = new Set<() => void>();

  constructor(private readonly tables: MarketRepository) {
    this.live.setMaxListeners(0);
  }

  async notify(userId: string, notification: Omit<Notification, "id" | "userId" | "at">): Promise<Notification> {
    const at = new Date();
    const entry: Notification = {
      id: `ntf_${randomBytes(8).toString("hex")}`,
      userId,
      at: at.toISOString(),
      ...notification,
    };
    await this.tables.database.write(
      [
        {
          type: "put",
          sublevel: this.tables.notifications,
          key: `${userId}\x00${pad(at.getTime(), 15)}${entry.id}`,
          value: entry,
        },
      ],
      { sync: false },
    );
    this.live.emit(userId, entry);
    return entry;
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
