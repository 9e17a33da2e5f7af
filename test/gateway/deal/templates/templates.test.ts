import { describe, expect, it } from "vitest";
import {
  ART_845_CLAUSES,
  CLAUSE_PLACEHOLDERS,
  CONTRACT_TYPES,
  contractDigest,
  renderContract,
  requiredClauses,
  type ContractType,
} from "../../../../sdk";
import { clausesRequiredOf, contractTemplate, listContractTemplates } from "../../../../gateway/deal/templates";
import { CONTRACT_FIXTURES } from "../../../sdk/deal/contractFixtures";

const HAN = /\p{Script=Han}/u;

describe("the contract templates", () => {
  it("are the Civil Code's five, in its order", () => {
    expect(listContractTemplates().map((template) => template.type)).toEqual([
      "development",
      "transfer",
      "licence",
      "consulting",
      "service",
    ]);
    expect(listContractTemplates().map((template) => template.title.zh)).toEqual([
      "技术开发合同",
      "技术转让合同",
      "技术许可合同",
      "技术咨询合同",
      "技术服务合同",
    ]);
  });

  for (const type of CONTRACT_TYPES) {
    describe(type, () => {
      const template = contractTemplate(type)!;

      it("carries every clause of art. 845 in both languages, each showing its fields", () => {
        for (const id of requiredClauses(type)) {
          const clauses = template.clauses.filter((clause) => clause.id === id);
          expect(clauses, `${type} clause ${id}`).toHaveLength(1);
          const [clause] = clauses;
          expect(clause.heading.zh).toMatch(HAN);
          expect(clause.heading.en.trim()).not.toBe("");
          for (const placeholder of CLAUSE_PLACEHOLDERS[id]) {
            expect(clause.body.zh, `${type}/${id}/zh`).toContain(`{{${placeholder}}}`);
            expect(clause.body.en, `${type}/${id}/en`).toContain(`{{${placeholder}}}`);
          }
        }
      });

      it("keeps art. 845's clauses in the law's order", () => {
        const order = template.clauses.map((clause) => clause.id).filter((id) => ART_845_CLAUSES.includes(id as never));
        expect(order).toEqual([...ART_845_CLAUSES]);
      });

      it("writes Chinese in the Chinese text and no Chinese in the English text", () => {
        const english = [template.title.en, template.preamble.en, template.closing.en];
        for (const clause of template.clauses) english.push(clause.heading.en, clause.body.en);
        for (const text of english) expect(text, text).not.toMatch(HAN);
        expect(template.preamble.zh).toMatch(HAN);
        for (const clause of template.clauses) expect(clause.body.zh).toMatch(HAN);
      });

      it("names its parties' roles in both languages", () => {
        expect(template.preamble.zh).toContain("{{role.supplier}}");
        expect(template.preamble.en).toContain("{{role.demander}}");
        for (const side of ["supplier", "demander"] as const) {
          expect(template.roles[side].zh).toMatch(HAN);
          expect(renderContract(type, "zh", CONTRACT_FIXTURES[type]).text).toContain(`${template.roles[side].zh}：`);
          expect(renderContract(type, "en", CONTRACT_FIXTURES[type]).text).toContain(`${template.roles[side].en}: `);
        }
      });
    });
  }

  it("gives patent contracts the patent particulars of art. 845 para. 3, and a licence its kind and territory", () => {
    const withClause = (id: string) =>
      CONTRACT_TYPES.filter((type) => contractTemplate(type)!.clauses.some((clause) => clause.id === id));
    expect(withClause("patent")).toEqual(["transfer", "licence"]);
    expect(withClause("licenceScope")).toEqual(["licence"]);
    expect(clausesRequiredOf("licence")).toEqual([...ART_845_CLAUSES, "patent", "licenceScope"]);
    for (const type of ["transfer", "licence"] as ContractType[]) {
      for (const language of ["zh", "en"] as const) {
        const { text } = renderContract(type, language, CONTRACT_FIXTURES[type]);
        for (const particular of ["ZL202210512345.6", "202210512345.6", "2022-05-10", "2024-01-16", "2042-05-09"]) {
          expect(text).toContain(particular);
        }
      }
    }
    expect(renderContract("licence", "en", CONTRACT_FIXTURES.licence).text).toContain(
      "(1) Kind of licence: exclusive licence\n(2) Territory in which the technology may be worked: The People's Republic of China",
    );
  });

  it("words a cooperative development as the law does: two co-developers, no commissioning party", () => {
    const cooperative = { ...CONTRACT_FIXTURES.development, development: { kind: "cooperative" } };
    const zh = renderContract("development", "zh", cooperative).text;
    expect(zh).toContain("合作开发方（甲方）：北方光能有限公司");
    expect(zh).toContain("合作开发方（乙方）：云南理工大学");
    expect(zh).toContain("（《民法典》第八百五十五条）");
    expect(zh).not.toContain("委托方：");
    const en = renderContract("development", "en", cooperative).text;
    expect(en).toContain("Party A (co-developer): Northern Solar Ltd.");
    expect(en).toContain("for the cooperative development of");
    expect(renderContract("development", "zh", CONTRACT_FIXTURES.development).text).toContain(
      "研究开发方按照本合同的约定，为委托方研究开发",
    );
  });

  it("answers no template for an unknown type", () => {
    expect(contractTemplate("barter")).toBeUndefined();
  });

  // Golden digests: a change to a template's text changes them. When that is meant, bump the
  // template's version (signed contracts name the version they were drawn from) and update them.
  it("renders the fixtures to pinned digests", () => {
    const digests = Object.fromEntries(
      CONTRACT_TYPES.flatMap((type) =>
        (["zh", "en"] as const).map((language) => [
          `${type}/${language}`,
          contractDigest(renderContract(type, language, CONTRACT_FIXTURES[type]).text),
        ]),
      ),
    );
    expect(digests).toEqual(GOLDEN_DIGESTS);
  });
});

const GOLDEN_DIGESTS: Record<string, string> = {
  "consulting/en": "0x86ae99361cd8d1461be903bf53e2ce27535fb73a1b3d727d0a73310a29bd8d0a",
  "consulting/zh": "0x1b33bbb60888a3ff2f2cb86ed735ea672fa8486b14b29b39666ba61748a1571c",
  "development/en": "0xa4989e1152df6298856272ea48d70da2c9b9bf148ee6740043a99b1fc6b6dd82",
  "development/zh": "0x11b0842b2296ade5e66696d906077e255bcf111018876ca935766c755dfc46b3",
  "licence/en": "0x49e8fd13fa3ec46c1e4a7439d63d7492c403872c4d6b4fa17fb0dfa29e3e6c41",
  "licence/zh": "0xc044c7236efe177faaf6274b51424d3ea6d726e898022457adc88775c42144d7",
  "service/en": "0xa0c46dddbe75133df49073213ccd4f42ca65e542be1cc82b111aeeea60c990dc",
  "service/zh": "0xccba14e6f439f08fe07b4e5ab8208ddee7e2f5d81cefabb1a0fc4d9f308329d5",
  "transfer/en": "0x50616136cc33d18d64521f04bbf2e3a1976b99d9e0edfc8e1897eee0ac2a8ca8",
  "transfer/zh": "0xa15287585cb7c851ad15d5e2ba4109c1d63c520f26d7e35d4052ab05e0f54990",
};
