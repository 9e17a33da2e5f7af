import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../../gateway/store/database";

const opened: Database[] = [];
const dirs: string[] = [];

async function database(writerThread = true): Promise<Database> {
  const dir = await mkdtemp(path.join(tmpdir(), "ttl-db-"));
  dirs.push(dir);
  const db = await openDatabase(dir, { writerThread });
  opened.push(db);
  return db;
}

/** Every entry of the database as LevelDB holds it: raw keys and values. */
async function raw(db: Database): Promise<Array<[string, string]>> {
  const entries: Array<[string, string]> = [];
  for await (const entry of db.level.iterator({ keyEncoding: "utf8", valueEncoding: "utf8" })) {
    entries.push(entry as [string, string]);
  }
  return entries;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("Database.write from the writer thread", () => {
  it("stores exactly what Level's own batch stores, and reads it back typed", async () => {
    const [threaded, here] = [await database(true), await database(false)];
    expect([threaded.threaded, here.threaded]).toEqual([true, false]);
    const write = async (db: Database) => {
      const records = db.table<{ n: number; name: string }>("records");
      const index = db.table<string>("index", "utf8");
      const cursor = db.cell<number>("cursor");
      await db.write([
        { type: "put", sublevel: records, key: "a", value: { n: 1, name: "光伏" } },
        { type: "put", sublevel: records, key: "b\u0000c", value: { n: 2, name: "constructor" } },
        { type: "put", sublevel: index, key: "deal:1\u00000000000001", value: "a" },
        cursor.put(7),
      ]);
      await db.write([{ type: "del", sublevel: records, key: "b\u0000c" }]);
      return { records, index, cursor };
    };
    const { records, index, cursor } = await write(threaded);
    await write(here);
    expect(await raw(threaded)).toEqual(await raw(here));
    expect(await records.get("a")).toEqual({ n: 1, name: "光伏" });
    expect(await records.get("b\u0000c")).toBeUndefined();
    expect(await index.get("deal:1\u00000000000001")).toBe("a");
    expect(await cursor.get()).toBe(7);
  });

  it("refuses a put of nothing, as Level does, and writes none of its batch", async () => {
    const db = await database();
    const table = db.table<unknown>("t");
    await expect(
      db.write([
        { type: "put", sublevel: table, key: "kept?", value: 1 },
        { type: "put", sublevel: table, key: "nothing", value: undefined },
      ]),
    ).rejects.toMatchObject({ code: "LEVEL_INVALID_VALUE" });
    expect(await table.get("kept?")).toBeUndefined();
  });

  it("keeps many concurrent batches, each whole", async () => {
    const db = await database();
    const table = db.table<number>("t");
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        db.write([
          { type: "put", sublevel: table, key: `a${i}`, value: i },
          { type: "put", sublevel: table, key: `b${i}`, value: 1000 + i },
        ]),
      ),
    );
    const values = new Map<string, number>();
    for await (const [key, value] of table.iterator()) values.set(key, value);
    expect(values.size).toBe(400);
    for (let i = 0; i < 200; i++) expect([values.get(`a${i}`), values.get(`b${i}`)]).toEqual([i, 1000 + i]);
  });

  it("closes, and a database opened again at the same place reads what was written", async () => {
    const db = await database();
    const table = db.table<string>("t", "utf8");
    await db.write([{ type: "put", sublevel: table, key: "k", value: "v" }]);
    await db.close();
    opened.splice(opened.indexOf(db), 1);
    const again = await openDatabase(db.location);
    opened.push(again);
    expect(await again.table<string>("t", "utf8").get("k")).toBe("v");
  });
});
