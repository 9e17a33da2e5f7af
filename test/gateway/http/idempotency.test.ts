import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IdempotentWrites } from "../../../gateway/http/idempotency";
import { HttpRepository } from "../../../gateway/http/repository";
import { openDatabase } from "../../../gateway/store/database";
import { GroupCommit } from "../../../gateway/store/groupCommit";

const bank = { kind: "service" as const, id: "bank-key", label: "bank", roles: ["bank" as const] };
const target = { method: "POST", path: "/v1/bank/deposits" };

describe("IdempotentWrites", () => {
  it("answers a retry with the first answer after a restart, and runs a new key's request once", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "ttl-idempotency-"));
    try {
      let runs = 0;
      const handle = async () => ({ status: 201, body: { run: ++runs } });
      let database = await openDatabase(dir);
      let writes = new IdempotentWrites(new HttpRepository(database), new GroupCommit(database));
      await writes.init();
      for (const commitWithAnswer of [false, true]) {
        const key = `key-${commitWithAnswer}-0001`;
        expect((await writes.run(bank, key, target, "{}", handle, { commitWithAnswer })).body).toEqual({ run: runs });
      }
      await database.close();

      // A new process: the keys kept before are known again from the store.
      database = await openDatabase(dir);
      writes = new IdempotentWrites(new HttpRepository(database), new GroupCommit(database));
      await writes.init();
      for (const [i, commitWithAnswer] of [false, true].entries()) {
        const replay = await writes.run(bank, `key-${commitWithAnswer}-0001`, target, "{}", handle);
        expect(replay.body).toEqual({ run: i + 1 });
        expect(replay.headers?.["Idempotent-Replayed"]).toBe("true");
      }
      expect((await writes.run(bank, "key-new-00001", target, "{}", handle)).body).toEqual({ run: 3 });
      expect(runs).toBe(3);
      await database.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
