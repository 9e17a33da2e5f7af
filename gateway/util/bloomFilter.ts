import { hash } from "node:crypto";

const HASHES = 7;
const BITS_PER_MEMBER = 10;

interface Generation {
  bits: Uint8Array;
  capacity: number;
  size: number;
}

/**
 * A set that may answer "maybe" for a member it never held, but never "no" for
 * one it did: a cheap first look before a read from disk. Each generation holds
 * `capacity` members at about 1% false positives; a full one is kept and a twice
 * larger one takes the new members, so nothing added is ever forgotten.
 */
export class BloomFilter {
  private readonly generations: Generation[] = [];

  constructor(capacity = 1 << 16) {
    this.generations.push(generation(capacity));
  }

  add(member: string): void {
    let current = this.generations[this.generations.length - 1];
    if (current.size >= current.capacity) {
      current = generation(current.capacity * 2);
      this.generations.push(current);
    }
    const digest = digestOf(member);
    for (let i = 0; i < HASHES; i++) {
      const index = digest.readUInt32LE(i * 4) % (current.bits.length * 8);
      current.bits[index >>> 3] |= 1 << (index & 7);
    }
    current.size++;
  }

  /** False: certainly never added. True: perhaps added. */
  mayHave(member: string): boolean {
    const digest = digestOf(member);
    return this.generations.some(({ bits }) => {
      for (let i = 0; i < HASHES; i++) {
        const index = digest.readUInt32LE(i * 4) % (bits.length * 8);
        if ((bits[index >>> 3] & (1 << (index & 7))) === 0) return false;
      }
      return true;
    });
  }
}

function generation(capacity: number): Generation {
  return { bits: new Uint8Array(Math.ceil((capacity * BITS_PER_MEMBER) / 8)), capacity, size: 0 };
}

/** Node's one-shot hash: a third of a `createHash` object's cost. */
function digestOf(member: string): Buffer {
  return hash("sha256", member, "buffer");
}
