import { GroupCommit } from "../store/groupCommit";

/**
 * Runs tasks one at a time per key (a user id, an address), so that a
 * read-modify-write of one user cannot interleave with another of the same user.
 * Inside a request whose writes are committed with its answer, the keys are held
 * until those writes are on disk, so the next task reads what this one wrote.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(keys: string[], task: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const previous = sorted.map((key) => this.tails.get(key) ?? Promise.resolve());
    const result = Promise.allSettled(previous).then(task);
    const settled = new Promise<void>((release) => {
      const done = () => GroupCommit.whenDurable(release);
      result.then(done, done);
    });
    for (const key of sorted) this.tails.set(key, settled);
    settled.then(() => {
      for (const key of sorted) if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return result;
  }
}
