import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ZERO_HASH } from "../../../sdk";
import { EvidenceRecorder } from "../../../gateway/evidence/recorder";
import { EvidenceRepository, subjectKey } from "../../../gateway/evidence/repository";
import { openDatabase, type BatchOperation, type Database } from "../../../gateway/store/database";
import { FileStore } from "../../../gateway/store/files";
import { GroupCommit } from "../../../gateway/store/groupCommit";

/** A real Level database and file store in a temporary folder; the writes it flushes are counted. */
async function open(dir: string) {
  const database = await openDatabase(path.join(dir, "store"));
  const flushes: BatchOperation[][] = [];
  const write = database.write.bind(database);
  database.write = async (operations, options) => {
    flushes.push(operations);
    await write(operations, options);
  };
  const tables = new EvidenceRepository(database);
  const commits = new GroupCommit(database);
  const recorder = new EvidenceRecorder(tables, commits, new FileStore(path.join(dir, "files")));
  await recorder.init();
  return { database, tables, commits, recorder, flushes };
}

const note = (subject: string, n: number) => ({ kind: "evidence.attested", subject, data: { n } });

describe("EvidenceRecorder", () => {
  let dir: string;
  let opened: Awaited<ReturnType<typeof open>>;
  let database: Database | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ttl-recorder-"));
    opened = await open(dir);
    database = opened.database;
  });
  afterEach(async () => {
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("commits a sealed record and the state built from it in one write, or nothing when the build fails", async () => {
    const { recorder, tables, database: db, flushes } = opened;
    const state = db.table<{ recordId: string }>("test-state");
    const before = flushes.length;
    const id = await recorder.write(async (unit) => {
      const sealed = await unit.seal(note("s:1", 1));
      unit.put(state, "x", { recordId: sealed.header.id });
      return sealed.header.id;
    });
    expect(flushes.length - before).toBe(1);
    expect((await state.get("x"))?.recordId).toBe(id);
    expect((await tables.records.get(id))?.header.seq).toBe(0);

    await expect(
      recorder.write(async (unit) => {
        await unit.seal(note("s:1", 2));
        unit.put(state, "y", { recordId: "never" });
        throw new Error("the service changed its mind");
      }),
    ).rejects.toThrow("changed its mind");
    expect(await state.get("y")).toBeUndefined();
    // The abandoned record's place is taken by the next one: no hole in the chain.
    const next = await recorder.record(note("s:1", 3));
    expect(next.seq).toBe(1);
    const first = (await tables.records.get(id))!;
    expect((await tables.records.get(next.id))?.header.prev).toBe(first.commitment);
  });

  it("gives concurrent units of one subject consecutive places, each linked to the one before", async () => {
    const { recorder, tables } = opened;
    const receipts = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        recorder.write(async (unit) => {
          const sealed = await unit.seal(note("s:busy", n));
          await new Promise((resolve) => setTimeout(resolve, n % 3));
          return sealed.header;
        }),
      ),
    );
    expect(receipts.map((r) => r.seq).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    let prev = ZERO_HASH;
    for (let seq = 0; seq < 20; seq++) {
      const record = (await tables.records.get((await tables.subjects.get(subjectKey("s:busy", seq)))!))!;
      expect(record.header.prev).toBe(prev);
      prev = record.commitment;
    }
  });

  it.each([
    ["found from the request's async-local scope", false],
    ["handed over by the route itself (explicitScope), outside any async-local scope", true],
  ])("writes an answer held for a request in the same flush as the request's records: %s", async (_, explicit) => {
    const { recorder, commits, database: db, flushes } = opened;
    const answers = db.table<string>(`test-answers-${explicit}`);
    await recorder.record(note("s:warm", 0));
    const before = flushes.length;
    const receipt = await commits.holdUntilAnswered(
      (held) => recorder.record(note(`s:held-${explicit}`, 1), explicit ? { held } : {}),
      (receipt) => [{ type: "put", sublevel: answers, key: "k", value: receipt.id }],
      { explicit },
    );
    expect(flushes.length - before).toBe(1);
    expect(await answers.get("k")).toBe(receipt.id);
  });

  it("lists the subjects of a store written before that list, and links the next record to the last", async () => {
    const { recorder, tables, database: db } = opened;
    const last = await Promise.all([recorder.record(note("s:old", 0)), recorder.record(note("s:old", 1))]).then(
      (r) => r[1],
    );
    await recorder.record(note("s:other", 0));
    await db.write([
      { type: "del", sublevel: tables.knownSubjects, key: "s:old" },
      { type: "del", sublevel: tables.knownSubjects, key: "s:other" },
      tables.knownSubjectsComplete.del(),
    ]);
    await db.close();

    opened = await open(dir);
    database = opened.database;
    expect(await opened.tables.knownSubjectsComplete.get()).toBe(true);
    expect(await opened.tables.knownSubjects.get("s:old")).toBe(true);
    const next = await opened.recorder.record(note("s:old", 2));
    expect(next.seq).toBe(2);
    expect((await opened.tables.records.get(next.id))?.header.prev).toBe(last.commitment);
    expect((await opened.recorder.record(note("s:other", 1))).seq).toBe(1);
  });
});
