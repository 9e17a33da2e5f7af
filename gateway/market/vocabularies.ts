import { USER_ROLES } from "tech-transfer-ledger/sdk";
import { MATCH_WEIGHTS } from "./matching";
import { CURRENCIES } from "./schemas";
import { COOPERATION_MODES, IP_KINDS, IP_STATUSES, REJECTION_REASONS, RESULT_KINDS } from "./types";

/** A code with its names in Chinese and English. */
export interface Term {
  code: string;
  zh: string;
  en: string;
}

const term = (code: string, zh: string, en: string): Term => ({ code, zh, en });

/**
 * Field codes (`domain.subfield`): the domain a technology is used in, not the
 * material it is made of. Matching compares them (same code, or same domain).
 */
export const FIELDS: Term[] = [
  term("energy", "能源", "Energy"),
  term("energy.pv", "光伏", "Photovoltaics"),
  term("energy.storage", "储能", "Stationary energy storage"),
  term("energy.battery", "锂离子电池及材料", "Lithium-ion cells and materials"),
  term("energy.hydrogen", "氢能", "Hydrogen"),
  term("energy.grid", "电网装备", "Power-grid equipment"),
  term("env", "环境", "Environment"),
  term("env.recycling", "资源回收", "Recycling"),
  term("env.water", "水处理", "Water and wastewater treatment"),
  term("bio", "生物医药", "Life sciences"),
  term("bio.pharma", "生物制药", "Biopharmaceuticals"),
  term("bio.diagnostics", "体外诊断", "In-vitro diagnostics"),
  term("bio.device", "医疗器械", "Medical devices"),
  term("bio.tcm", "中医药与植物提取", "Traditional Chinese medicine and plant extraction"),
  term("agri", "农业", "Agriculture"),
  term("agri.breeding", "育种", "Breeding and seed systems"),
  term("agri.protection", "植物保护", "Crop protection"),
  term("agri.postharvest", "采后处理", "Postharvest handling"),
  term("agri.machinery", "农业机械", "Agricultural machinery"),
  term("food", "食品", "Food"),
  term("food.processing", "食品加工", "Food and beverage processing"),
  term("mining", "矿业", "Mining"),
  term("mining.metallurgy", "采选冶金", "Mining, mineral processing and metallurgy"),
  term("materials", "材料", "Materials"),
  term("materials.polymer", "高分子材料", "Polymers and rubber"),
  term("materials.coating", "涂料", "Protective coatings"),
  term("materials.ceramics", "先进陶瓷", "Advanced ceramics"),
  term("materials.magnetic", "磁性材料", "Magnetic materials"),
  term("electronics", "电子", "Electronics"),
  term("electronics.sensor", "传感器", "Sensors and flexible electronics"),
  term("ai", "人工智能", "Artificial intelligence"),
  term("ai.software", "人工智能与软件", "AI and software"),
  term("ai.vision", "机器视觉", "Machine vision"),
  term("mfg", "制造", "Manufacturing"),
  term("mfg.intelligent", "智能制造", "Intelligent manufacturing"),
  term("mfg.robotics", "工业机器人", "Industrial robots"),
  term("mfg.additive", "增材制造", "Additive manufacturing"),
  term("auto", "汽车", "Automotive"),
  term("auto.nev", "新能源汽车", "New-energy vehicles"),
  term("construction", "建筑", "Construction"),
  term("construction.materials", "建筑材料", "Construction materials"),
  term("construction.structure", "结构工程", "Structural engineering"),
];

const RESULT_KIND_NAMES: Record<(typeof RESULT_KINDS)[number], [string, string]> = {
  patent: ["专利", "Patent"],
  "trade-secret": ["技术秘密", "Trade secret"],
  software: ["软件", "Software"],
  "plant-variety": ["植物新品种", "Plant variety"],
  "integrated-circuit-layout": ["集成电路布图设计", "Integrated-circuit layout design"],
  "know-how": ["专有技术", "Know-how"],
  other: ["其他", "Other"],
};

const MODE_NAMES: Record<(typeof COOPERATION_MODES)[number], [string, string]> = {
  transfer: ["转让", "Transfer"],
  "exclusive-licence": ["独占许可", "Exclusive licence"],
  "sole-licence": ["排他许可", "Sole licence"],
  "non-exclusive-licence": ["普通许可", "Non-exclusive licence"],
  "joint-development": ["合作开发", "Joint development"],
  consulting: ["技术咨询", "Consulting"],
  service: ["技术服务", "Service"],
  equity: ["作价入股", "Equity"],
};

const IP_KIND_NAMES: Record<(typeof IP_KINDS)[number], [string, string]> = {
  "invention-patent": ["发明专利", "Invention patent"],
  "utility-model": ["实用新型", "Utility model"],
  "design-patent": ["外观设计", "Design patent"],
  "software-copyright": ["软件著作权", "Software copyright"],
  "plant-variety-right": ["植物新品种权", "Plant variety right"],
  "layout-design": ["集成电路布图设计专有权", "Layout-design right"],
  "trade-secret": ["商业秘密", "Trade secret"],
  other: ["其他", "Other"],
};

const IP_STATUS_NAMES: Record<(typeof IP_STATUSES)[number], [string, string]> = {
  filed: ["已申请", "Filed"],
  granted: ["已授权", "Granted"],
  expired: ["已失效", "Expired"],
  invalidated: ["已宣告无效", "Invalidated"],
  transferred: ["已转让", "Transferred"],
};

const REJECTION_NAMES: Record<(typeof REJECTION_REASONS)[number], [string, string]> = {
  incomplete: ["信息不完整", "Incomplete"],
  "uncertified-owner": ["发布者未认证", "Owner not certified"],
  duplicate: ["重复发布", "Duplicate"],
  "forbidden-content": ["违禁内容", "Forbidden content"],
};

/** Technology readiness levels (GB/T 22900-2022 and the usual TRL scale). */
const TRL_NAMES: Array<[string, string]> = [
  ["发现基本原理", "Basic principles observed"],
  ["形成技术概念", "Technology concept formulated"],
  ["通过概念验证", "Proof of concept"],
  ["实验室环境验证", "Validated in the laboratory"],
  ["相关环境验证", "Validated in a relevant environment"],
  ["相关环境演示", "Demonstrated in a relevant environment"],
  ["实际环境样机演示", "Prototype demonstrated in an operational environment"],
  ["完成并通过鉴定", "System complete and qualified"],
  ["实际应用验证", "Proven in operation"],
];

/** The five technology contracts of the Civil Code (arts. 851–887), with the two kinds of development contract. */
const CONTRACT_TYPES: Term[] = [
  term("development.commissioned", "委托开发合同", "Commissioned development contract"),
  term("development.cooperative", "合作开发合同", "Cooperative development contract"),
  term("transfer", "技术转让合同", "Technology transfer contract"),
  term("licence", "技术许可合同", "Technology licence contract"),
  term("consulting", "技术咨询合同", "Technology consulting contract"),
  term("service", "技术服务合同", "Technology service contract"),
];

const ROLE_NAMES: Record<(typeof USER_ROLES)[number], [string, string]> = {
  supplier: ["技术供给方", "Supplier"],
  demander: ["技术需求方", "Demander"],
  broker: ["技术经纪人", "Technology broker"],
  manager: ["技术经理人", "Technology manager"],
  reviewer: ["审核员", "Reviewer"],
  evaluator: ["评估机构", "Evaluator"],
  bank: ["资金监管银行", "Supervising bank"],
  arbitrator: ["仲裁员", "Arbitrator"],
  arbitration_body: ["仲裁机构", "Arbitration body"],
  auditor: ["审计监管", "Auditor"],
  admin: ["平台管理员", "Administrator"],
};

/** Chinese provinces by the numeric GB/T 2260 codes listings use (`CN-53` Yunnan). */
const PROVINCES: Array<[string, string, string]> = [
  ["11", "北京", "Beijing"],
  ["12", "天津", "Tianjin"],
  ["13", "河北", "Hebei"],
  ["14", "山西", "Shanxi"],
  ["15", "内蒙古", "Inner Mongolia"],
  ["21", "辽宁", "Liaoning"],
  ["22", "吉林", "Jilin"],
  ["23", "黑龙江", "Heilongjiang"],
  ["31", "上海", "Shanghai"],
  ["32", "江苏", "Jiangsu"],
  ["33", "浙江", "Zhejiang"],
  ["34", "安徽", "Anhui"],
  ["35", "福建", "Fujian"],
  ["36", "江西", "Jiangxi"],
  ["37", "山东", "Shandong"],
  ["41", "河南", "Henan"],
  ["42", "湖北", "Hubei"],
  ["43", "湖南", "Hunan"],
  ["44", "广东", "Guangdong"],
  ["45", "广西", "Guangxi"],
  ["46", "海南", "Hainan"],
  ["50", "重庆", "Chongqing"],
  ["51", "四川", "Sichuan"],
  ["52", "贵州", "Guizhou"],
  ["53", "云南", "Yunnan"],
  ["54", "西藏", "Tibet"],
  ["61", "陕西", "Shaanxi"],
  ["62", "甘肃", "Gansu"],
  ["63", "青海", "Qinghai"],
  ["64", "宁夏", "Ningxia"],
  ["65", "新疆", "Xinjiang"],
  ["71", "台湾", "Taiwan"],
  ["81", "香港", "Hong Kong"],
  ["82", "澳门", "Macao"],
];

/** The countries the platform serves first: China, South and Southeast Asia. */
const COUNTRIES = [
  "CN", "TH", "VN", "LA", "MM", "KH", "MY", "SG", "ID", "PH", "BN", "TL",
  "IN", "PK", "BD", "NP", "LK", "BT", "MV",
]; // prettier-ignore

const named = (table: Record<string, [string, string]>): Term[] =>
  Object.entries(table).map(([code, [zh, en]]) => term(code, zh, en));

/**
 * Every code a client must use in listings and requests, with its names in
 * Chinese and English: what `GET /v1/vocabularies` serves. Built once (the
 * currency and country names come from the runtime's ICU data).
 */
export function vocabularies() {
  const zhNames = new Intl.DisplayNames(["zh"], { type: "region" });
  const enNames = new Intl.DisplayNames(["en"], { type: "region" });
  const zhCurrency = new Intl.DisplayNames(["zh"], { type: "currency" });
  const enCurrency = new Intl.DisplayNames(["en"], { type: "currency" });
  return {
    fields: {
      terms: FIELDS,
      matching: {
        weight: MATCH_WEIGHTS.field,
        score: { sameCode: 1, sameDomain: 0.5, otherwise: 0 },
        note:
          "The field carries a tenth of a match's score: 1 for the same code, 0.5 for the same domain (the part " +
          "before the dot), 0 otherwise. Codes outside this list are accepted, but meet only their exact equals.",
      },
    },
    resultKinds: named(RESULT_KIND_NAMES),
    cooperationModes: named(MODE_NAMES),
    trlLevels: TRL_NAMES.map(([zh, en], i) => ({ level: i + 1, zh, en })),
    regions: {
      note:
        "ISO 3166-1 alpha-2 country codes, or ISO 3166-2 subdivision codes (TH-90); Chinese provinces use the " +
        "numeric GB/T 2260 codes (CN-53 Yunnan). Any valid code is accepted; these are the ones served first.",
      countries: COUNTRIES.map((code) => term(code, zhNames.of(code) ?? code, enNames.of(code) ?? code)),
      chineseProvinces: PROVINCES.map(([number, zh, en]) => term(`CN-${number}`, zh, en)),
    },
    currencies: [...CURRENCIES]
      .sort()
      .map((code) => term(code, zhCurrency.of(code) ?? code, enCurrency.of(code) ?? code)),
    contractTypes: CONTRACT_TYPES,
    ipKinds: named(IP_KIND_NAMES),
    ipStatuses: named(IP_STATUS_NAMES),
    rejectionReasons: named(REJECTION_NAMES),
    roles: named(ROLE_NAMES),
  };
}
