import { describe, expect, it } from "vitest";
import { BloomFilter } from "../../../gateway/util/bloomFilter";

describe("BloomFilter", () => {
  it("never forgets a member, across generations, and says maybe for about 1% of the others", () => {
    const filter = new BloomFilter(1_000);
    for (let i = 0; i < 20_000; i++) filter.add(`member:${i}`);
    for (let i = 0; i < 20_000; i++) expect(filter.mayHave(`member:${i}`)).toBe(true);
    let maybes = 0;
    for (let i = 0; i < 20_000; i++) if (filter.mayHave(`stranger:${i}`)) maybes++;
    // Five generations (1k, 2k, 4k, 8k, 16k): each about 1%, together under 5%.
    expect(maybes / 20_000).toBeLessThan(0.05);
  });
});
