import { AsyncLocalStorage } from "node:async_hooks";

/**
 * An `AsyncLocalStorage` that is switched on only while some `run` is in flight.
 *
 * On Node 20 an enabled `AsyncLocalStorage` installs promise hooks that make
 * every promise of the process, in every request, cost about three times as
 * much; on the evidence intake path that was a quarter of the request thread
 * (docs/BENCHMARKS.md). Disabling the storage once its last `run` has settled
 * removes the hooks, so requests that never enter one (the routes that pass
 * their scope explicitly, `Route.explicitScope`) do not pay for those that do.
 *
 * Disabling is safe only when no `run` is in flight: it forgets every store.
 * A continuation left behind by a finished `run` (a background task it
 * started) then sees no store, as if it had been started outside: which is what
 * such a task should see, since the request it came from has answered.
 */
export class ScopedStorage<T> {
  private readonly storage = new AsyncLocalStorage<T>();
  private running = 0;

  /** The store of the `run` the caller is inside, if any. */
  getStore(): T | undefined {
    return this.running === 0 ? undefined : this.storage.getStore();
  }

  /** Runs `task` with `store` as the store of everything it awaits, until it settles. */
  async run<R>(store: T, task: () => Promise<R>): Promise<R> {
    this.running++;
    try {
      return await this.storage.run(store, task);
    } finally {
      if (--this.running === 0) this.storage.disable();
    }
  }
}
