import { randomBytes } from "node:crypto";

/** `count` random 32-byte commitments, as hex. */
export function randomCommitments(count: number): string[] {
  return Array.from({ length: count }, () => `0x${randomBytes(32).toString("hex")}`);
}
