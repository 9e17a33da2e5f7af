import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress } from "node:zlib";
import { chromium, type BrowserContext } from "playwright-core";

/**
 * Where the browser tests find Chromium, in this order (docs/DEPLOY.md, "Browser tests"):
 *
 * - `CHROMIUM_PATH=packaged`: always the Chromium shipped in the npm package `@sparticuz/chromium`
 *   (CI runs the browser tests once this way, to prove they need nothing from apt);
 * - `CHROMIUM_PATH=system`: the system's Chromium, and fail if there is none;
 * - `CHROMIUM_PATH=/path/to/chrome`: that executable;
 * - unset: the system's Chromium where there is one, the packaged one otherwise.
 */
export const CHROMIUM_PATH_VARIABLE = "CHROMIUM_PATH";

/** Where Debian, Ubuntu and Fedora put Chromium. */
export const SYSTEM_CHROMIUM_PATHS = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Which Chromium a launch uses and what it needs around it. */
export interface ChromiumChoice {
  kind: "system" | "packaged" | "explicit";
  executablePath: string;
  /** Environment for the browser process (the packaged one's own fontconfig). */
  env: Record<string, string>;
}

const systemChromium = () => SYSTEM_CHROMIUM_PATHS.find((candidate) => existsSync(candidate));

/** The Chromium that {@link launchBrowser} will use, unpacking the packaged one on first use. */
export async function chooseChromium(setting = process.env[CHROMIUM_PATH_VARIABLE]?.trim()): Promise<ChromiumChoice> {
  if (setting === "system") {
    const found = systemChromium();
    if (!found)
      throw new Error(
        `${CHROMIUM_PATH_VARIABLE}=system, but there is no Chromium at ${SYSTEM_CHROMIUM_PATHS.join(" or ")}; ` +
          `unset it to use the Chromium from the npm package @sparticuz/chromium`,
      );
    return { kind: "system", executablePath: found, env: {} };
  }
  if (setting && setting !== "packaged") {
    if (!existsSync(setting)) throw new Error(`${CHROMIUM_PATH_VARIABLE}=${setting}: no such file`);
    return { kind: "explicit", executablePath: setting, env: {} };
  }
  const found = setting === "packaged" ? undefined : systemChromium();
  if (found) return { kind: "system", executablePath: found, env: {} };
  return packagedChromium();
}

/**
 * The Chromium of `@sparticuz/chromium`, unpacked once per package version under
 * `node_modules/.cache/` (not the shared /tmp the package itself would use, where
 * parallel test workers and other checkouts would race), with a fontconfig of its
 * own that knows only the package's Latin fonts: on this path the page's Chinese
 * renders only through the font the page serves.
 */
async function packagedChromium(): Promise<ChromiumChoice> {
  const bin = path.join(path.dirname(require.resolve("@sparticuz/chromium")), "..", "bin");
  if (!existsSync(path.join(bin, "chromium.br")))
    throw new Error(
      "Chromium is neither installed on this system nor unpacked from @sparticuz/chromium: run `npm install`",
    );
  const { version } = JSON.parse(readFileSync(path.join(bin, "..", "package.json"), "utf8")) as { version: string };
  const folder = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "ttl-chromium", version);
  const choice: ChromiumChoice = {
    kind: "packaged",
    executablePath: path.join(folder, "chromium"),
    env: { FONTCONFIG_FILE: path.join(folder, "fonts.conf"), FONTCONFIG_PATH: folder },
  };
  if (existsSync(path.join(folder, "fonts.conf"))) return choice;

  // Unpack into a private folder and rename it into place: a worker that loses the race drops its copy.
  await mkdir(path.dirname(folder), { recursive: true });
  const staging = await mkdtemp(`${folder}.unpacking-`);
  try {
    await pipeline(
      createReadStream(path.join(bin, "chromium.br")),
      createBrotliDecompress(),
      createWriteStream(path.join(staging, "chromium")),
    );
    await chmod(path.join(staging, "chromium"), 0o755);
    await untarBrotli(path.join(bin, "fonts.tar.br"), staging);
    await writeFile(
      path.join(staging, "fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
        `  <dir>${path.join(folder, "fonts")}</dir>\n  <cachedir>${path.join(folder, "fonts-cache")}</cachedir>\n</fontconfig>\n`,
    );
    await rename(staging, folder).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return choice;
}

/** Unpacks a Brotli-compressed tar file into `folder` with the system's tar. */
async function untarBrotli(file: string, folder: string): Promise<void> {
  const tar = spawn("tar", ["-x", "-C", folder], { stdio: ["pipe", "ignore", "pipe"] });
  let errors = "";
  tar.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number>((resolve, reject) => tar.on("error", reject).on("close", resolve));
  await pipeline(createReadStream(file), createBrotliDecompress(), tar.stdin);
  const code = await exited;
  if (code !== 0) throw new Error(`tar could not unpack ${file}: ${errors}`);
}

export interface TestBrowser {
  context: BrowserContext;
  /** Which Chromium this is. */
  chromium: ChromiumChoice;
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

/**
 * Headless Chromium on a fresh, temporary profile: the system's, or the one
 * shipped in npm (see {@link CHROMIUM_PATH_VARIABLE}). Throws (so the test fails,
 * it does not skip) when neither can be had. One launch serves many pages: the
 * packaged Chromium's own `--single-process` flag is not used, since closing a
 * page would close that whole browser.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const choice = await chooseChromium();
  const profile = await mkdtemp(path.join(tmpdir(), "ttl-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: choice.executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      env: { ...process.env, ...choice.env } as Record<string, string>,
      timeout: 60_000,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    chromium: choice,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}
