import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The verification page's Chinese font: Noto Sans SC (SIL Open Font License 1.1)
 * from the npm package `@fontsource/noto-sans-sc`, served by the gateway itself so
 * that the page's Chinese renders on a machine without CJK fonts and no third
 * party learns who opened the page.
 *
 * The package cuts the regular weight into about a hundred WOFF2 slices of
 * 10–120 KB, each declared with the `unicode-range` it covers. The page links one
 * stylesheet declaring them all; the browser downloads only the slices holding
 * characters on screen (the page fetches 8, about 170 KB), so the font is subset by
 * the browser, per page, with nothing built or committed here.
 */
const FONT_PACKAGE_DIR = path.dirname(require.resolve("@fontsource/noto-sans-sc/package.json"));

/** Where the page finds the stylesheet and the slices (the routes in `gateway/routes/meta.ts`). */
export const FONT_STYLESHEET_PATH = "/verify/fonts.css";
export const FONT_FILES_PATH = "/verify/fonts";

interface FontFace {
  css: string;
  files: ReadonlySet<string>;
}

let faces: Promise<FontFace> | undefined;

/**
 * The package's regular-weight `@font-face` rules, pointing at this gateway and
 * offering WOFF2 only (every browser that runs the page's script reads it).
 */
function fontFaces(): Promise<FontFace> {
  faces ??= readFile(path.join(FONT_PACKAGE_DIR, "400.css"), "utf8").then((source) => {
    const files = new Set<string>();
    const css = source.replace(
      /src: url\(\.\/files\/([a-z0-9-]+\.woff2)\) format\('woff2'\)[^;]*;/g,
      (_rule, file: string) => {
        files.add(file);
        return `src: url(${FONT_FILES_PATH}/${file}) format('woff2');`;
      },
    );
    if (files.size === 0) throw new Error("@fontsource/noto-sans-sc/400.css declares no WOFF2 file");
    return { css, files };
  });
  faces.catch(() => (faces = undefined));
  return faces;
}

/** The stylesheet the page links: `@font-face` rules for "Noto Sans SC", one per slice. */
export async function verifyPageFontCss(): Promise<string> {
  return (await fontFaces()).css;
}

/** One slice named in the stylesheet, or undefined for any other name (no path from the client reaches the disk). */
export async function verifyPageFontFile(name: string): Promise<Buffer | undefined> {
  if (!(await fontFaces()).files.has(name)) return undefined;
  return readFile(path.join(FONT_PACKAGE_DIR, "files", name));
}
