// Baseline servers for `npm run bench:evidence`, run as their own process so
// that the load generator does not share their event loop.
//   BASELINE=bare     a Koa endpoint that answers 202 and nothing else
//   BASELINE=minimal  parses the JSON body, hashes it, stores it in Level, answers 202
//   BASELINE=durable  keeps the promise POST /v1/evidence keeps, minimally: parses,
//                     salts and hashes every field, takes a Keccak of the field
//                     hashes, and writes one Level entry with sync (fsync) before
//                     answering 202 (issue 12's honest baseline)
import { createHash, randomBytes, randomUUID } from "node:crypto";
import Koa from "koa";
import { Level } from "level";
import { keccak256 } from "../../sdk/evidence/keccak256";

async function main(): Promise<void> {
  const mode = process.env.BASELINE;
  const port = Number(process.env.PORT);
  const app = new Koa();
  if (mode === "bare") {
    app.use(async (ctx) => {
      ctx.status = 202;
      ctx.body = { ok: true };
    });
  } else if (mode === "minimal") {
    const db = new Level<string, unknown>(process.env.LEVEL_DIR!, { valueEncoding: "json" });
    await db.open();
    app.use(async (ctx) => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req as AsyncIterable<Buffer>) chunks.push(chunk);
      const text = Buffer.concat(chunks).toString("utf8");
      const record = JSON.parse(text);
      const commitment = createHash("sha256").update(text).digest("hex");
      const id = randomUUID();
      await db.put(id, { record, commitment });
      ctx.status = 202;
      ctx.body = { id, commitment };
    });
  } else if (mode === "durable") {
    const db = new Level<string, unknown>(process.env.LEVEL_DIR!, { valueEncoding: "json" });
    await db.open();
    app.use(async (ctx) => {
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.req as AsyncIterable<Buffer>) chunks.push(chunk);
      const record = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data?: Record<string, unknown> };
      const fields = Object.entries(record.data ?? {}).map(([name, value]) => {
        const salt = randomBytes(32);
        return keccak256(Buffer.concat([salt, Buffer.from(`${name}=${JSON.stringify(value)}`)]));
      });
      const commitment = `0x${Buffer.from(keccak256(Buffer.concat(fields))).toString("hex")}`;
      const id = randomUUID();
      const fieldHashes = fields.map((hash) => Buffer.from(hash).toString("hex"));
      await db.put(id, { record, fieldHashes, commitment }, { sync: true });
      ctx.status = 202;
      ctx.body = { id, commitment };
    });
  } else {
    throw new Error("BASELINE must be bare, minimal or durable");
  }
  app.listen(port, "127.0.0.1", () => console.log("ready"));
}

void main();
