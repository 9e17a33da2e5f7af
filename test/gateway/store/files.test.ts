import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStore } from "../../../gateway/store/files";

/** `all` in pieces of `size` bytes, as a socket would hand them over. */
async function* pieces(all: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < all.length; offset += size) yield all.subarray(offset, offset + size);
}

describe("FileStore.putStream", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "ttl-files-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("keeps a file larger than its flush interval whole, under its SHA-256, as it came in small pieces", async () => {
    // 40 MiB: more than one 32 MiB flush while the rest still arrives.
    const bytes = randomBytes(40 * 1024 * 1024 + 12_345);
    const store = new FileStore(root);
    const seen: number[] = [];
    const stored = await store.putStream(pieces(bytes, 64 * 1024), { inspect: (_piece, offset) => seen.push(offset) });
    const sha256 = `0x${createHash("sha256").update(bytes).digest("hex")}`;
    expect(stored).toEqual({ sha256, size: bytes.length });
    expect(seen[1]).toBe(64 * 1024);
    expect((await readFile(store.pathOf(sha256))).equals(bytes)).toBe(true);
  });

  it("keeps nothing of a file refused part-way, with writes and a flush in flight", async () => {
    const bytes = randomBytes(36 * 1024 * 1024);
    const store = new FileStore(root);
    const refusal = store.putStream(pieces(bytes, 64 * 1024), {
      inspect: (_piece, offset) => {
        if (offset >= 35 * 1024 * 1024) throw new Error("too large");
      },
    });
    await expect(refusal).rejects.toThrow("too large");
    expect(await readdir(root)).toEqual([]);
  });
});
