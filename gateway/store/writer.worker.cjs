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

const db = new Level(workerData.location, { keyEncoding: "utf8", valueEncoding: "utf8" });

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
  const { id, operations, sync } = message;
  db.batch(operations, { sync }).then(
    () => parentPort.postMessage({ id }),
    (error) =>
      parentPort.postMessage({ id, error: { message: String(error && error.message), code: error && error.code } }),
  );
});
