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
    if (layout[i] === 0) operations.push({ type: "put", key, value: bytes.subarray(layout[i + 1], layout[i + 2]) });
    else operations.push({ type: "del", key });
    at = layout[i + 2];
  }
  db.batch(operations, { sync }).then(
    () => parentPort.postMessage({ id }),
    (error) =>
      parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } }),
  );
});
