import { EventEmitter } from "node:events";
import { randomBytes } from "node:crypto";
import { pad, type Store } from "../store/store";

export interface Notification {
  id: string;
  userId: string;
  kind: "match.proposed" | "match.answered" | "deal.opened" | "listing.matched" | "search.matched" | "listing.reviewed";
  text: string;
  /** The API path of what it is about. */
  link: string;
  at: string;
  read?: boolean;
}

/**
 * Telling users (6.4.3): every notification goes to the user's inbox in the
 * store, and to the live streams (Server-Sent Events) the user has open.
 */
export class Notifier {
  private readonly live = new EventEmitter();
  private readonly closers = new Set<() => void>();

  constructor(private readonly store: Store) {
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
    await this.store.write(
      [
        {
          type: "put",
          sublevel: this.store.notifications,
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
    for await (const entry of this.store.notifications.values({
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
