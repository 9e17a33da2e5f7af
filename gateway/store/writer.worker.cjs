// The store's writer thread (gateway/store/writer.ts): applies the batches the
// main thread encoded, to the same LevelDB the main thread reads (both open it
// with `multithreading`, so they share one handle), and answers once each is
// written (and fsync'd when asked). Encoding a batch's operations for LevelDB
// costs more main-thread time than anything else a record's intake does, so it
// runs here, beside the request handling. Plain CommonJS: a worker starts from a
// file Node can run as it is.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: what a worker thread runs as it is */
const { parentPort, workerData } = require("node:worker_threads");
const { Level } = require("level");

// Keys and values arrive as UTF-8 bytes (writer.ts `pack`), written as they are.
const db = new Level(workerData.location, { keyEncoding: "view", valueEncoding: "view" });

db.open({ multithreading: true, createIfMissing: false }).then(
  () => parentPort.postMessage({ ready: true }),
  (error) => parentPort.postMessage({ failed: String(error && error.message) }),
);

parentPort.on("message", (message) => {
  if (message.close) {
    db.close().then(
      () => parentPort.postMessage({ closed: true }),
      () => parentPort.postMessage({ closed: true }),
    );
    return;
  }
  const { id, bytes, layout, sync } = message;
  const operations = [];
  let at = 0;
  for (let i = 0; i < layout.length; i += 3) {
    const key = bytes.subarray(at, layout[i + 1]);
    const put = layout[i] === 0;
    // One shape for both kinds of operation, so the binding reads them all alike.
    operations.push({
      type: put ? "put" : "del",
      key,
      value: put ? bytes.subarray(layout[i + 1], layout[i + 2]) : undefined,
    });
    at = layout[i + 2];
  }
  // Level's own implementation of a batch (`_batch`), not the public `batch`: the
  // keys and values are already encoded and prefixed, the database is open, and
  // it has no hooks nor listeners, so the public method's work (a copy of each
  // operation with the options merged in, encodings looked up, prefixes, hooks)
  // only cost this thread about 40 % of its time per record (docs/BENCHMARKS.md).
  db._batch(operations, { sync }).then(
    () => parentPort.postMessage({ id }),
    (error) =>
      parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } }),
  );
});
