import { describe, expect, it } from "vitest";
import { ScopedStorage } from "../../../gateway/util/scopedStorage";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("ScopedStorage", () => {
  it("gives each run its own store through everything it awaits, and none outside", async () => {
    const storage = new ScopedStorage<string>();
    const seen: Array<string | undefined> = [];
    const task = (name: string) => async () => {
      await tick();
      seen.push(storage.getStore());
      await Promise.all([tick(), tick()]);
      seen.push(storage.getStore());
      return name;
    };
    const results = await Promise.all([storage.run("a", task("a")), storage.run("b", task("b"))]);
    expect(results).toEqual(["a", "b"]);
    expect(seen.sort()).toEqual(["a", "a", "b", "b"]);
    expect(storage.getStore()).toBeUndefined();
  });

  it("keeps a run's store while another run ends first", async () => {
    const storage = new ScopedStorage<number>();
    let release!: () => void;
    const slow = storage.run(1, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return storage.getStore();
    });
    await storage.run(2, async () => tick());
    release();
    expect(await slow).toBe(1);
  });

  it("works again after every run has settled and it was switched off", async () => {
    const storage = new ScopedStorage<string>();
    await storage.run("first", async () => tick());
    expect(storage.getStore()).toBeUndefined();
    expect(await storage.run("second", async () => (await tick(), storage.getStore()))).toBe("second");
  });

  it("settles a failed run like a finished one", async () => {
    const storage = new ScopedStorage<string>();
    await expect(storage.run("x", async () => Promise.reject(new Error("refused")))).rejects.toThrow("refused");
    expect(storage.getStore()).toBeUndefined();
    expect(await storage.run("y", async () => storage.getStore())).toBe("y");
  });
});
