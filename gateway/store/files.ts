import { mkdir, open, readFile, rename, stat } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileDigest } from "tech-transfer-ledger/sdk";

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
