import { createHash } from "node:crypto";
import { TypedDataEncoder, verifyTypedData, Wallet } from "ethers";
import { describe, expect, it } from "vitest";
import {
  chainDealId,
  contractDigest,
  contractFieldsSchema,
  contractTypedData,
  CONTRACT_TYPES,
  diffContractVersions,
  ESCROW_TERMS_TYPES,
  escrowDomain,
  fileDigest,
  InvalidArgumentError,
  MAX_MILESTONES,
  milestonesFromContract,
  parseContractFields,
  REGISTRATION_CSV_COLUMNS,
  registrationRecord,
  renderContract,
} from "../../../sdk";
import { CONTRACT_FIXTURES } from "./contractFixtures";

const clone = <T>(value: T): T => structuredClone(value);

describe("renderContract", () => {
  it("renders every type in both languages with no placeholder left", () => {
    for (const type of CONTRACT_TYPES) {
      for (const language of ["zh", "en"] as const) {
        const { text, html } = renderContract(type, language, CONTRACT_FIXTURES[type]);
        expect(text, `${type}/${language}`).not.toMatch(/\{\{|\}\}/);
        expect(html).toContain(`<html lang="${language === "zh" ? "zh-CN" : "en"}">`);
        expect(text.endsWith("\n")).toBe(true);
      }
    }
  });

  it("gives the same bytes for the same fields, whatever their key order", () => {
    const fields = CONTRACT_FIXTURES.licence;
    const reordered = Object.fromEntries(Object.entries(clone(fields)).reverse());
    const first = renderContract("licence", "zh", fields);
    expect(renderContract("licence", "zh", clone(fields))).toEqual(first);
    expect(renderContract("licence", "zh", reordered)).toEqual(first);
    expect(contractDigest(renderContract("licence", "zh", reordered).text)).toBe(contractDigest(first.text));
  });

  it("writes the fields the parties filled, money in yuan and rates in percent", () => {
    const { text } = renderContract("licence", "zh", CONTRACT_FIXTURES.licence);
    expect(text).toContain("第一条　项目名称\n本合同项目名称：钙钛矿叠层太阳能电池制备工艺。");
    expect(text).toContain("（一）许可方式：独占实施许可");
    expect(text).toContain("入门费人民币500,000.00元");
    expect(text).toContain("提成比例为3.5%");
    expect(text).toContain("（六）专利号：ZL202210512345.6");
    const english = renderContract("development", "en", CONTRACT_FIXTURES.development).text;
    expect(english).toContain("Instalment 2 (Pilot line accepted): CNY 2,000,000.00");
    expect(english).toContain("(5) Territory: not stated");
  });

  it("escapes the parties' text in HTML", () => {
    const fields = clone(CONTRACT_FIXTURES.service) as { projectName: unknown };
    fields.projectName = '<script>alert("x")</script> & co';
    const { html, text } = renderContract("service", "en", fields);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
    expect(text).toContain('<script>alert("x")</script> & co');
  });

  it("refuses fields that miss a clause, an unknown type or language, naming the field", () => {
    const { risk: _, ...noRisk } = clone(CONTRACT_FIXTURES.transfer) as Record<string, unknown>;
    expect(() => renderContract("transfer", "zh", noRisk)).toThrow(/fields\.risk/);
    expect(() => renderContract("transfer", "zh", CONTRACT_FIXTURES.licence)).toThrow(InvalidArgumentError);
    expect(() => renderContract("barter" as "transfer", "zh", CONTRACT_FIXTURES.transfer)).toThrow(
      /type must be one of/,
    );
    expect(() => renderContract("transfer", "fr" as "zh", CONTRACT_FIXTURES.transfer)).toThrow(
      /language must be one of/,
    );
  });
});

describe("the contract fields", () => {
  it("parses every fixture with the union schema", () => {
    for (const type of CONTRACT_TYPES) expect(contractFieldsSchema.parse(CONTRACT_FIXTURES[type]).type).toBe(type);
  });

  it("requires the patent particulars of a patent transfer or licence, not of a technical secret", () => {
    const { patent: _, ...noPatent } = clone(CONTRACT_FIXTURES.transfer) as Record<string, unknown>;
    expect(() => parseContractFields("transfer", noPatent)).toThrow(/art\. 845 para\. 3/);
    const secret = parseContractFields("transfer", { ...noPatent, right: "technicalSecret" });
    expect(secret.right).toBe("technicalSecret");
    expect(renderContract("transfer", "zh", { ...noPatent, right: "technicalSecret" }).text).toContain(
      "（五）申请号：不适用",
    );
    const granted = clone(CONTRACT_FIXTURES.licence) as { patent: { patentNumber?: string } };
    delete granted.patent.patentNumber;
    expect(() => parseContractFields("licence", granted)).toThrow(/patentNumber and grantDate/);
  });

  it("keeps project names and instalment titles short enough to be escrow milestone titles (200 characters)", () => {
    const long = clone(CONTRACT_FIXTURES.development) as any;
    long.projectName = { zh: "项".repeat(181) };
    expect(() => parseContractFields("development", long)).toThrow(/fields\.projectName/);
    long.projectName = "项".repeat(180);
    long.payment.instalments[0].title = "x".repeat(201);
    expect(() => parseContractFields("development", long)).toThrow(/fields\.payment\.instalments\.0\.title/);
  });

  it("requires a licence's kind and territory", () => {
    const fields = clone(CONTRACT_FIXTURES.licence) as { licence: Record<string, unknown> };
    delete fields.licence.territory;
    expect(() => parseContractFields("licence", fields)).toThrow(/fields\.licence\.territory/);
    fields.licence.territory = "China";
    fields.licence.kind = "shared";
    expect(() => parseContractFields("licence", fields)).toThrow(/fields\.licence\.kind/);
  });

  it("refuses instalments that do not add up to the total, or more than the escrow's milestones", () => {
    const fields = clone(CONTRACT_FIXTURES.development) as { payment: { total: number; instalments: unknown[] } };
    fields.payment.total += 1;
    expect(() => parseContractFields("development", fields)).toThrow(/add up to 300000000 minor units, not the total/);
    const many = clone(CONTRACT_FIXTURES.development) as { payment: { total: number; instalments: unknown[] } };
    const one = (many.payment.instalments as Array<{ amount: number }>)[0];
    many.payment.instalments = Array.from({ length: MAX_MILESTONES + 1 }, () => ({ ...one, amount: 1 }));
    many.payment.total = MAX_MILESTONES + 1;
    expect(() => parseContractFields("development", many)).toThrow(InvalidArgumentError);
  });
});

describe("contractDigest", () => {
  it("is the SHA-256 of the text's UTF-8 bytes: the digest the escrow stores for the contract file", () => {
    const { text } = renderContract("licence", "zh", CONTRACT_FIXTURES.licence);
    const bytes = new TextEncoder().encode(text);
    expect(contractDigest(text)).toBe(`0x${createHash("sha256").update(bytes).digest("hex")}`);
    expect(contractDigest(text)).toBe(fileDigest(bytes));
    expect(contractDigest("合同")).toBe("0x" + createHash("sha256").update("合同", "utf8").digest("hex"));
  });

  it("changes when one character of the text changes", () => {
    const { text } = renderContract("licence", "en", CONTRACT_FIXTURES.licence);
    expect(contractDigest(text.replace("3.5%", "3.6%"))).not.toBe(contractDigest(text));
  });
});

describe("contractTypedData", () => {
  const chainId = 31337n;
  const escrow = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  const dealId = "deal_0123456789abcdef01234567";
  const digest = contractDigest(renderContract("licence", "zh", CONTRACT_FIXTURES.licence).text);
  const typed = contractTypedData({
    chainId,
    escrow,
    dealId,
    contractType: "licence",
    language: "zh",
    version: 3,
    contractDigest: digest,
  });

  it("carries the deal's escrow id, the type, language, version and digest", () => {
    expect(typed.primaryType).toBe("TechnologyContract");
    expect(typed.message).toEqual({
      dealId: chainDealId(dealId),
      contractType: "licence",
      language: "zh",
      version: 3,
      contractDigest: digest,
    });
    expect(typed.domain).toEqual({
      name: "TechTransferLedger TechnologyContract",
      version: "1",
      chainId,
      verifyingContract: escrow,
    });
  });

  it("recovers the party who signed, and not another key", async () => {
    const supplier = Wallet.createRandom();
    const stranger = Wallet.createRandom();
    const signature = await supplier.signTypedData(typed.domain, typed.types, typed.message);
    expect(verifyTypedData(typed.domain, typed.types, typed.message, signature)).toBe(supplier.address);
    const forged = await stranger.signTypedData(typed.domain, typed.types, typed.message);
    expect(verifyTypedData(typed.domain, typed.types, typed.message, forged)).not.toBe(supplier.address);
    // A signature of another version of the text recovers someone else.
    const other = { ...typed.message, version: 2 };
    expect(verifyTypedData(typed.domain, typed.types, other, signature)).not.toBe(supplier.address);
  });

  it("can never be taken for the escrow terms: another domain and another type", () => {
    expect(TypedDataEncoder.hashDomain(typed.domain)).not.toBe(
      TypedDataEncoder.hashDomain(escrowDomain(chainId, escrow)),
    );
    expect(Object.keys(ESCROW_TERMS_TYPES)).not.toContain(typed.primaryType);
    expect(typed.domain.name).not.toBe(escrowDomain(chainId, escrow).name);
  });

  // Golden vector: the message's type string and its EIP-712 hash, for anyone who signs or checks
  // contract signatures without the SDK (docs/CONTRACTS.md).
  it("hashes a known message to a pinned digest", () => {
    const golden = contractTypedData({
      chainId: 31337n,
      escrow,
      dealId,
      contractType: "licence",
      language: "zh",
      version: 3,
      contractDigest: `0x${"ab".repeat(32)}`,
    });
    expect(TypedDataEncoder.from(golden.types).encodeType("TechnologyContract")).toBe(
      "TechnologyContract(bytes32 dealId,string contractType,string language,uint32 version,bytes32 contractDigest)",
    );
    expect(TypedDataEncoder.hash(golden.domain, golden.types, golden.message)).toBe(
      "0xcd75edf92efd325dddfbd4c6e2637ded2b9a88e8e0eefddce417dfe2cac8798f",
    );
  });

  it("refuses a digest that is not 32 bytes and a version below 1", () => {
    const base = { chainId, escrow, dealId, contractType: "licence" as const, language: "zh" as const, version: 1 };
    expect(() => contractTypedData({ ...base, contractDigest: "0x1234" })).toThrow(/contractDigest must be 32 bytes/);
    expect(() => contractTypedData({ ...base, contractDigest: digest, version: 0 })).toThrow(/version/);
  });
});

describe("diffContractVersions", () => {
  it("lists the changed, added and removed fields, sorted by path", () => {
    const before = clone(CONTRACT_FIXTURES.development) as any;
    const after = clone(CONTRACT_FIXTURES.development) as any;
    after.payment.instalments[1].amount = 150_000_000;
    after.payment.instalments[0].amount = 150_000_000;
    after.performance.territory = { zh: "云南省" };
    delete after.breach.latePaymentRatePerDay;
    after.subject.scope.en = "Two pilot lines";
    expect(diffContractVersions(before, after)).toEqual([
      { path: "breach.latePaymentRatePerDay", change: "removed", before: "0.0005" },
      { path: "payment.instalments.0.amount", change: "changed", before: 100_000_000, after: 150_000_000 },
      { path: "payment.instalments.1.amount", change: "changed", before: 200_000_000, after: 150_000_000 },
      { path: "performance.territory.zh", change: "added", after: "云南省" },
      { path: "subject.scope.en", change: "changed", before: "One pilot line", after: "Two pilot lines" },
    ]);
  });

  it("finds nothing between equal versions, and sees a list emptied", () => {
    expect(diffContractVersions(CONTRACT_FIXTURES.licence, clone(CONTRACT_FIXTURES.licence))).toEqual([]);
    const emptied = clone(CONTRACT_FIXTURES.licence) as any;
    emptied.interpretation.terms = [];
    expect(diffContractVersions(CONTRACT_FIXTURES.licence, emptied).map((change) => change.path)).toEqual([
      "interpretation.terms",
      "interpretation.terms.0.meaning.en",
      "interpretation.terms.0.meaning.zh",
      "interpretation.terms.0.term.en",
      "interpretation.terms.0.term.zh",
    ]);
  });
});

describe("milestonesFromContract", () => {
  it("makes each instalment an escrow milestone, in order, with its deadline", () => {
    expect(milestonesFromContract(CONTRACT_FIXTURES.development, "en")).toEqual({
      currency: "CNY",
      total: 300_000_000,
      milestones: [
        { title: "Technical materials delivered", amount: 100_000_000, deliverBy: "2026-06-30T00:00:00Z" },
        { title: "Pilot line accepted", amount: 200_000_000, deliverBy: "2027-03-31T00:00:00+08:00" },
      ],
    });
    expect(milestonesFromContract(CONTRACT_FIXTURES.development).milestones[0].title).toBe("技术资料交付");
  });

  it("makes a lump sum one milestone, and royalties one milestone for the upfront fee", () => {
    expect(milestonesFromContract(CONTRACT_FIXTURES.service, "en")).toEqual({
      currency: "CNY",
      total: 8_000_000,
      milestones: [
        { title: "Perovskite tandem solar cell process", amount: 8_000_000, deliverBy: "2026-09-30T00:00:00Z" },
      ],
    });
    expect(milestonesFromContract(CONTRACT_FIXTURES.licence, "zh")).toEqual({
      currency: "CNY",
      total: 50_000_000,
      milestones: [
        { title: "钙钛矿叠层太阳能电池制备工艺：入门费", amount: 50_000_000, deliverBy: "2026-05-31T00:00:00Z" },
      ],
    });
    const noFee = clone(CONTRACT_FIXTURES.licence) as any;
    noFee.payment.upfrontFee = 0;
    delete noFee.payment.upfrontDeliverBy;
    expect(milestonesFromContract(noFee)).toEqual({ currency: "CNY", total: 0, milestones: [] });
  });
});

describe("registrationRecord", () => {
  const digest = `0x${"ab".repeat(32)}`;

  it("exports the type, parties, amount and technical field, as JSON and as one CSV line", () => {
    const { json, csv } = registrationRecord(CONTRACT_FIXTURES.licence, {
      contractDigest: digest,
      signedAt: "2026-04-01T08:00:00Z",
    });
    // Royalties: upfront fee 500,000.00 + estimated royalties 4,000,000.00 = 4,500,000.00.
    expect(json).toEqual({
      contractType: "licence",
      contractTypeName: "技术许可合同",
      projectName: "钙钛矿叠层太阳能电池制备工艺",
      technicalField: "新能源 / new energy",
      supplierName: "云南理工大学",
      supplierCreditCode: "12530000431200000X",
      demanderName: "北方光能有限公司",
      demanderCreditCode: "",
      currency: "CNY",
      paymentMode: "royalty",
      amount: 450_000_000,
      amountText: "4500000.00",
      royaltyRate: "0.035",
      patentNumber: "ZL202210512345.6",
      contractDigest: digest,
      signedAt: "2026-04-01T08:00:00Z",
    });
    expect(csv).toBe(
      `licence,技术许可合同,钙钛矿叠层太阳能电池制备工艺,新能源 / new energy,云南理工大学,12530000431200000X,北方光能有限公司,,CNY,royalty,450000000,4500000.00,0.035,ZL202210512345.6,${digest},2026-04-01T08:00:00Z`,
    );
    expect(csv.split(",")).toHaveLength(REGISTRATION_CSV_COLUMNS.length);
  });

  it("quotes CSV fields with commas, quotes or line breaks (RFC 4180)", () => {
    const fields = clone(CONTRACT_FIXTURES.service) as any;
    fields.parties.supplier.name = 'Acme, "Labs"';
    const { csv, json } = registrationRecord(fields);
    expect(json.amount).toBe(8_000_000);
    expect(csv).toContain(',"Acme, ""Labs""",');
    expect(csv).not.toContain("\n");
  });
});
