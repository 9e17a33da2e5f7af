// Baseline servers for `npm run bench:evidence`, run as their own process so
// that the load generator does not share their event loop.
//   BASELINE=bare     a Koa endpoint that answers 202 and nothing else
//   BASELINE=minimal  parses the JSON body, hashes it, stores it in Level, answers 202
import { createHash, randomUUID } from "node:crypto";
import Koa from "koa";
import { Level } from "level";

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
  } else {
    throw new Error("BASELINE must be bare or minimal");
  }
  app.listen(port, "127.0.0.1", () => console.log("ready"));
}

void main();
