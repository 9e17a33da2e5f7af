import type { ContractFieldsInput, ContractType } from "../../../sdk";

// One filled contract per type, with a Chinese university as supplier and an English-speaking
// company as demander: texts in both languages where the parties would write both.

const common = {
  projectName: { zh: "钙钛矿叠层太阳能电池制备工艺", en: "Perovskite tandem solar cell process" },
  parties: {
    supplier: {
      name: { zh: "云南理工大学", en: "Yunnan University of Technology" },
      creditCode: "12530000431200000X",
      address: { zh: "云南省昆明市一二一大街1号", en: "1 Yi'eryi Avenue, Kunming, Yunnan" },
      representative: "李明",
    },
    demander: {
      name: { zh: "北方光能有限公司", en: "Northern Solar Ltd." },
      address: "10 Harbour Road, Hong Kong",
    },
  },
  technicalField: "新能源 / new energy",
  subject: {
    content: { zh: "叠层电池的制备工艺及其工艺参数", en: "The cell's fabrication process and its parameters" },
    scope: { zh: "中试线一条", en: "One pilot line" },
    requirements: { zh: "光电转换效率不低于28%", en: "Conversion efficiency of at least 28%" },
  },
  performance: {
    plan: { zh: "分两阶段实施", en: "Two phases" },
    schedule: { zh: "第一阶段六个月，第二阶段六个月", en: "Six months each" },
    startsOn: "2026-04-01",
    endsOn: "2027-03-31",
    place: { zh: "昆明", en: "Kunming" },
    manner: { zh: "现场指导和书面资料", en: "On-site guidance and written materials" },
  },
  confidentiality: {
    scope: { zh: "工艺参数和配方", en: "Process parameters and recipes" },
    periodYears: 5,
    obligations: { zh: "不得向第三方披露", en: "No disclosure to third parties" },
  },
  risk: { allocation: { zh: "双方各自承担50%", en: "Shared equally" } },
  ownership: {
    results: { zh: "改进成果归改进方", en: "Improvements belong to whoever makes them" },
    benefitSharing: { zh: "按出资比例分享", en: "In proportion to contributions" },
  },
  acceptance: {
    standard: { zh: "第三方检测效率不低于28%", en: "Third-party test of at least 28% efficiency" },
    method: { zh: "送检并出具检测报告", en: "Samples sent for testing with a report" },
  },
  payment: {
    mode: "instalments" as const,
    currency: "CNY",
    total: 300_000_000,
    instalments: [
      {
        title: { zh: "技术资料交付", en: "Technical materials delivered" },
        amount: 100_000_000,
        condition: { zh: "资料验收合格", en: "Materials accepted" },
        deliverBy: "2026-06-30T00:00:00Z",
      },
      {
        title: { zh: "中试验收", en: "Pilot line accepted" },
        amount: 200_000_000,
        condition: { zh: "中试线验收合格", en: "Pilot line accepted" },
        deliverBy: "2027-03-31T00:00:00+08:00",
      },
    ],
  },
  breach: {
    liability: { zh: "违约方赔偿守约方的实际损失", en: "The party in breach pays the other's actual loss" },
    computation: { zh: "按实际损失计算，以合同总价款为限", en: "Actual loss, capped at the contract price" },
    latePaymentRatePerDay: "0.0005",
  },
  disputes: {
    resolution: "arbitration" as const,
    forum: {
      zh: "中国国际经济贸易仲裁委员会",
      en: "the China International Economic and Trade Arbitration Commission",
    },
    negotiationDays: 30,
  },
  interpretation: {
    terms: [{ term: { zh: "中试", en: "pilot" }, meaning: { zh: "小批量试生产", en: "small-batch trial production" } }],
  },
};

const patent = {
  inventionName: { zh: "一种钙钛矿叠层电池的制备方法", en: "A method of making a perovskite tandem cell" },
  applicant: { zh: "云南理工大学", en: "Yunnan University of Technology" },
  holder: { zh: "云南理工大学", en: "Yunnan University of Technology" },
  applicationDate: "2022-05-10",
  applicationNumber: "202210512345.6",
  patentNumber: "ZL202210512345.6",
  grantDate: "2024-01-16",
  validUntil: "2042-05-09",
};

/** A filled contract of each type. */
export const CONTRACT_FIXTURES: Record<ContractType, ContractFieldsInput> = {
  development: { type: "development", ...common, development: { kind: "commissioned" } },
  transfer: { type: "transfer", ...common, right: "patent", patent },
  licence: {
    type: "licence",
    ...common,
    right: "patent",
    patent,
    licence: {
      kind: "exclusive",
      territory: { zh: "中华人民共和国境内", en: "The People's Republic of China" },
      startsOn: "2026-04-01",
      endsOn: "2031-03-31",
      sublicensing: false,
    },
    payment: {
      mode: "royalty",
      currency: "CNY",
      upfrontFee: 50_000_000,
      upfrontDeliverBy: "2026-05-31T00:00:00Z",
      base: "sales",
      rate: "0.035",
      reportingPeriod: "quarterly",
      payWithinDays: 30,
      estimatedRoyalties: 400_000_000,
    },
  },
  consulting: { type: "consulting", ...common, consulting: { kind: "feasibility" } },
  service: {
    type: "service",
    ...common,
    service: { problem: { zh: "提高电池稳定性", en: "Improving the cell's stability" } },
    payment: {
      mode: "lumpSum",
      currency: "CNY",
      total: 8_000_000,
      condition: { zh: "服务验收合格", en: "Service accepted" },
      deliverBy: "2026-09-30T00:00:00Z",
    },
  },
};
