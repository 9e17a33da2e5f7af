import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import path from "node:path";

let bundle: Promise<string> | undefined;

/**
 * The verification page's script: the SDK's verifier bundled for browsers, so the
 * page checks a certificate with the very code the CLI uses. Built once, on first use.
 */
export function verifyPageScript(): Promise<string> {
  bundle ??= build({
    entryPoints: [path.join(__dirname, "app.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    // The SDK hashes with node:crypto in Node and falls back to @noble/hashes without it.
    external: ["node:crypto", "node:path", "keccak/bindings", "node-gyp-build"],
    logLevel: "silent",
  }).then((result) => result.outputFiles[0].text);
  bundle.catch(() => (bundle = undefined));
  return bundle;
}

/** The verification page itself (static). */
export function verifyPageHtml(): Promise<string> {
  return readFile(path.join(__dirname, "index.html"), "utf8");
}
