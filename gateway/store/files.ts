import { mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { createHash, randomUUID } from "node:crypto";
import path from "node:path";
import { fileDigest } from "tech-transfer-ledger/sdk";

/** How much of a streamed file is gathered before it is written. */
const WRITE_BATCH = 1024 * 1024;
/** How much of a streamed file is written before what is written so far is flushed to disk, as it goes on. */
const FLUSH_EVERY = 32 * 1024 * 1024;

/**
 * Files kept content-addressed under a folder: a file's name is its SHA-256,
 * so the same bytes are kept once and a file cannot change under its name.
 */
export class FileStore {
  constructor(readonly root: string) {}

  /** Where the file of `digest` lives (`<root>/ab/cd…`). */
  pathOf(digest: string): string {
    const hex = digest.replace(/^0x/, "");
    return path.join(this.root, hex.slice(0, 2), hex);
  }

  /**
   * Stores `bytes` durably (written, flushed to disk, then renamed into place)
   * and returns their SHA-256 digest.
   */
  async put(bytes: Uint8Array): Promise<string> {
    const digest = fileDigest(bytes);
    const target = this.pathOf(digest);
    if (await exists(target)) return digest;
    await mkdir(path.dirname(target), { recursive: true });
    const temporary = `${target}.${randomUUID()}.tmp`;
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
    return digest;
  }

  /**
   * Stores a stream without holding it: each piece is hashed and written as it
   * comes, so a file of any size takes flat memory. `inspect` sees every piece
   * first and `accept` the whole file's size and digest before it is kept; either
   * may throw to refuse the file, which is then removed. Returns its SHA-256 and size.
   */
  async putStream(
    source: AsyncIterable<Uint8Array>,
    checks: { inspect?(piece: Uint8Array, offset: number): void; accept?(size: number, sha256: string): void } = {},
  ): Promise<{ sha256: string; size: number }> {
    await mkdir(this.root, { recursive: true });
    const temporary = path.join(this.root, `upload.${randomUUID()}.tmp`);
    const handle = await open(temporary, "wx", 0o600);
    const hash = createHash("sha256");
    let size = 0;
    let kept = false;
    let writing: Promise<unknown> = Promise.resolve();
    let flushing: Promise<unknown> | undefined;
    try {
      // Read by hand, not with for-await: a refusal must not destroy a request's
      // stream, so that the client (still sending) hears the refusal; Node drains the rest.
      const pieces = source[Symbol.asyncIterator]();
      // Socket pieces are small (16–64 KiB): written a megabyte at a time, in one writev each,
      // while the next megabyte is read (waiting for each write before reading on would
      // stop the socket, and with it the sender, for every write).
      let batch: Uint8Array[] = [];
      let batched = 0;
      let unflushed = 0;
      // One write in flight at a time; a failed one is seen where `writing` is next awaited.
      const write = (pieces: Uint8Array[]) => {
        const written = handle.writev(pieces);
        written.catch(() => undefined);
        return written;
      };
      for (;;) {
        const next = await pieces.next();
        if (next.done) break;
        const piece = next.value;
        checks.inspect?.(piece, size);
        hash.update(piece);
        size += piece.length;
        batch.push(piece);
        batched += piece.length;
        if (batched >= WRITE_BATCH) {
          await writing;
          // The file is flushed while it still arrives (one flush at a time), so that the
          // flush before the answer has little left: the disk works beside the network.
          unflushed += batched;
          if (unflushed >= FLUSH_EVERY && !flushing) {
            unflushed = 0;
            flushing = handle.datasync().finally(() => (flushing = undefined));
            flushing.catch(() => undefined);
          }
          writing = write(batch);
          batch = [];
          batched = 0;
        }
      }
      await writing;
      if (batch.length) await write(batch);
      const digest = `0x${hash.digest("hex")}`;
      checks.accept?.(size, digest);
      await flushing;
      await handle.sync();
      await handle.close();
      const target = this.pathOf(digest);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temporary, target);
      kept = true;
      return { sha256: digest, size };
    } finally {
      if (!kept) {
        // A refused file may still have a write or a flush in flight: they end before the file is closed.
        await writing.catch(() => undefined);
        await flushing?.catch(() => undefined);
        await handle.close().catch(() => undefined);
        await unlink(temporary).catch(() => undefined);
      }
    }
  }

  /** The bytes of `digest`, or undefined when no such file is kept. */
  async get(digest: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(digest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
