import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";

// The SDK picks Node's native hashing and Buffer where they exist, and portable
// JavaScript in browsers (the /verify page): both must give the same bytes.
async function portableModules() {
  vi.resetModules();
  vi.stubGlobal("Buffer", undefined);
  try {
    // Without Buffer, the SDK takes the portable path, as in a browser.
    const [sha, bytes] = await Promise.all([
      import("../../../sdk/evidence/sha256.js"),
      import("../../../sdk/evidence/bytes.js"),
    ]);
    return { sha256Text: sha.sha256Text, toHex: bytes.toHex, utf8Length: bytes.utf8Length };
  } finally {
    vi.unstubAllGlobals();
    vi.resetModules();
  }
}

const reference = (text: string, prefix = new Uint8Array()) =>
  `0x${createHash("sha256").update(prefix).update(text, "utf8").digest("hex")}`;

describe("sha256Text, toHex and utf8Length", () => {
  it("hash text after an optional prefix as SHA-256 does, natively and portably", async () => {
    const native = await import("../../../sdk/evidence/sha256.js");
    const portable = await portableModules();
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.uint8Array({ minLength: 0, maxLength: 40 }), (text, salt) => {
        const prefix = salt.length > 0 ? salt : undefined;
        const expected = reference(text, salt);
        expect(native.sha256Text(text, prefix)).toBe(expected);
        expect(portable.sha256Text(text, prefix)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it("spell bytes as 0x-hex and count UTF-8 bytes, natively and portably", async () => {
    const native = await import("../../../sdk/evidence/bytes.js");
    const portable = await portableModules();
    expect(portable.toHex(new Uint8Array([0, 15, 255]))).toBe("0x000fff");
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.string({ unit: "grapheme" }), (bytes, text) => {
        const hex = `0x${Buffer.from(bytes).toString("hex")}`;
        expect(native.toHex(bytes)).toBe(hex);
        expect(portable.toHex(bytes)).toBe(hex);
        const length = new TextEncoder().encode(text).length;
        expect(native.utf8Length(text)).toBe(length);
        expect(portable.utf8Length(text)).toBe(length);
      }),
      { numRuns: 200 },
    );
  });
});
