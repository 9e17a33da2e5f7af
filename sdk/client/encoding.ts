import type { FileInput } from "./types";

/**
 * Base64 of `bytes`, without Node's Buffer, so the SDK also runs in browsers.
 *
 * @example
 * toBase64(new TextEncoder().encode("%PDF-")); // "JVBERi0="
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // String.fromCharCode takes its arguments on the stack: go in chunks.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * A file as the gateway's JSON bodies take it.
 *
 * @example
 * fileBody({ name: "licence.pdf", mediaType: "application/pdf", bytes }); // { name, mediaType, contentBase64 }
 */
export function fileBody(file: FileInput): { name: string; mediaType: string; contentBase64: string } {
  return { name: file.name, mediaType: file.mediaType, contentBase64: toBase64(file.bytes) };
}
