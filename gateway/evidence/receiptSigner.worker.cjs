// The receipt signer's thread (gateway/evidence/receipts.ts): signs 32-byte
// digests with the gateway's receipt key, with libsecp256k1, so that signing a
// receipt for every write runs beside the request handling, not in it. Plain
// CommonJS: a worker starts from a file Node can run as it is.
"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: what a worker thread runs as it is */
const { parentPort, workerData } = require("node:worker_threads");
const secp = require("secp256k1/bindings");

const key = Buffer.from(workerData.privateKey.slice(2), "hex");

parentPort.on("message", ({ batch, digests }) => {
  const signatures = digests.map((digest) => {
    const { signature, recid } = secp.ecdsaSign(digest, key);
    return `0x${Buffer.from(signature).toString("hex")}${(27 + recid).toString(16)}`;
  });
  parentPort.postMessage({ batch, signatures });
});
parentPort.postMessage({ ready: true });
