import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MATCH_WEIGHTS } from "../../../gateway/market/matching";
import { COOPERATION_MODES, RESULT_KINDS } from "../../../gateway/market/types";
import { client, startTestPlatform, type TestPlatform } from "../../helpers/platform";

describe("GET /v1/vocabularies", () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("serves every code a client uses, each named in Chinese and English, to anyone", async () => {
    const { status, body } = await client(t.url)("GET", "/v1/vocabularies");
    expect(status).toBe(200);
    const named = (terms: Array<{ code: string; zh: string; en: string }>) =>
      terms.every((term) => term.code && /\p{Script=Han}/u.test(term.zh) && /[A-Za-z]/.test(term.en));
    expect(body.fields.terms).toContainEqual({ code: "energy.pv", zh: "光伏", en: "Photovoltaics" });
    expect(named(body.fields.terms)).toBe(true);
    expect(body.fields.matching).toMatchObject({
      weight: MATCH_WEIGHTS.field,
      score: { sameCode: 1, sameDomain: 0.5 },
    });
    expect(body.resultKinds.map((term: { code: string }) => term.code)).toEqual([...RESULT_KINDS]);
    expect(body.cooperationModes.map((term: { code: string }) => term.code)).toEqual([...COOPERATION_MODES]);
    expect(body.cooperationModes).toContainEqual({
      code: "exclusive-licence",
      zh: "独占许可",
      en: "Exclusive licence",
    });
    expect(body.trlLevels).toHaveLength(9);
    expect(body.trlLevels[0]).toMatchObject({ level: 1 });
    expect(body.regions.chineseProvinces).toContainEqual({ code: "CN-53", zh: "云南", en: "Yunnan" });
    expect(body.regions.countries).toContainEqual({ code: "TH", zh: "泰国", en: "Thailand" });
    expect(body.currencies).toContainEqual({ code: "CNY", zh: "人民币", en: "Chinese Yuan" });
    expect(body.contractTypes.map((term: { code: string }) => term.code)).toEqual([
      "development.commissioned",
      "development.cooperative",
      "transfer",
      "licence",
      "consulting",
      "service",
    ]);
    expect(body.roles).toContainEqual({ code: "broker", zh: "技术经纪人", en: "Technology broker" });
    for (const list of [body.resultKinds, body.cooperationModes, body.currencies, body.contractTypes, body.roles])
      expect(named(list)).toBe(true);
  });

  it("is linked from the API description", async () => {
    const { body } = await client(t.url)("GET", "/openapi.json");
    expect(body.paths["/v1/vocabularies"].get).toBeDefined();
    expect(JSON.stringify(body.paths["/v1/listings"])).toContain("GET /v1/vocabularies");
  });
});
