import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_RISK_RULES, loadRiskRules, riskRulesFile, RiskRulesError } from "../../../gateway/risk/rules";
import { minHashSignature, NearDuplicateIndex, similarity } from "../../../gateway/risk/nearDuplicates";

describe("the risk rules file", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ttl-risk-rules-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is written with the defaults when there is none", async () => {
    const rules = await loadRiskRules(riskRulesFile(dir));
    expect(rules).toEqual(DEFAULT_RISK_RULES);
    expect(JSON.parse(await readFile(riskRulesFile(dir), "utf8"))).toEqual(DEFAULT_RISK_RULES);
  });

  it("stops the start with every problem named when it is not valid", async () => {
    const bad = structuredClone(DEFAULT_RISK_RULES) as unknown as Record<string, any>;
    bad.rules.largeDeal.amountAbove = { yuan: -1 };
    bad.rules.nearDuplicateListing.similarityAtLeast = 0.2;
    delete bad.rules.blacklist;
    bad.rules.extra = { enabled: true };
    await writeFile(riskRulesFile(dir), JSON.stringify(bad));
    const error = await loadRiskRules(riskRulesFile(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RiskRulesError);
    const { problems } = error as RiskRulesError;
    expect(problems.join("\n")).toMatch(/rules\.largeDeal\.amountAbove\.yuan/);
    expect(problems.join("\n")).toMatch(/rules\.nearDuplicateListing\.similarityAtLeast/);
    expect(problems.join("\n")).toMatch(/rules\.blacklist/);
    expect(problems.join("\n")).toMatch(/extra/);
  });

  it("refuses a file that is not JSON", async () => {
    await writeFile(riskRulesFile(dir), "version: 1");
    await expect(loadRiskRules(riskRulesFile(dir))).rejects.toThrow(/not JSON/);
  });
});

describe("near-duplicate texts (MinHash)", () => {
  const original =
    "一种退役光伏组件的无损拆解与高纯硅回收工艺，采用低温热解去除EVA封装层，回收率达到百分之九十五以上，适合规模化产线。";
  const copy = original.replace("适合规模化产线", "适合规模化的产线");
  const other = "基于深度学习的锂电池健康状态估计软件，实时监测电池组的容量衰减，并给出维护建议与更换周期。";

  it("rates a lightly edited copy as similar and another text as not", () => {
    expect(similarity(minHashSignature(original), minHashSignature(copy))).toBeGreaterThan(0.8);
    expect(similarity(minHashSignature(original), minHashSignature(other))).toBeLessThan(0.2);
  });

  it("finds the copy among indexed texts, and leaves the text itself out", () => {
    const index = new NearDuplicateIndex();
    index.add({ id: "a", ownerId: "u1", signature: minHashSignature(original) });
    index.add({ id: "b", ownerId: "u2", signature: minHashSignature(other) });
    const found = index.similarTo("c", minHashSignature(copy), 0.8);
    expect(found.map((entry) => entry.id)).toEqual(["a"]);
    expect(index.similarTo("a", minHashSignature(original), 0.8)).toEqual([]);
  });

  it("ignores case, spacing and punctuation", () => {
    const a = minHashSignature("Solar Panel Recycling, low-temperature pyrolysis of EVA");
    const b = minHashSignature("solar panel recycling low temperature pyrolysis of eva!!");
    expect(similarity(a, b)).toBe(1);
  });
});
