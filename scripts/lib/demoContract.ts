// The technology contract the demos negotiate: an exclusive patent licence for
// Thailand between a Yunnan university and a Thai company (Civil Code art. 862),
// with an upfront fee (the one escrowed milestone) and a royalty on sales (art. 846).
import type { ContractFieldsInput } from "../../sdk";
import { today } from "./demoSteps";

/** A patent licence with a royalty on sales and an upfront fee (art. 846): the fee is the one escrowed milestone. */
export function licenceFields(upfrontFee: number, rate: string, upfrontDeliverBy: string): ContractFieldsInput {
  const text = (zh: string, en: string) => ({ zh, en });
  return {
    type: "licence",
    projectName: text(
      "晶硅光伏组件绿色回收工艺专利实施许可",
      "Licence of the green PV module recycling process patent",
    ),
    parties: {
      supplier: { name: text("云南某理工大学", "A Yunnan University"), representative: "王教授" },
      demander: { name: text("暹罗绿色能源有限公司", "Siam Green Energy Co., Ltd."), address: "Bangkok, Thailand" },
    },
    technicalField: "环境保护 / recycling of PV modules",
    subject: {
      content: text("低温热解与湿法冶金联用回收工艺", "Low-temperature pyrolysis with hydrometallurgical recovery"),
      scope: text("一条年处理两万吨的生产线", "One line treating 20,000 t a year"),
      requirements: text("硅回收率不低于90%", "Silicon recovery of at least 90%"),
    },
    performance: {
      plan: text("资料交付、培训、调试三阶段", "Materials, training, commissioning"),
      schedule: text("签约后六个月内完成", "Within six months of signing"),
      startsOn: today(1),
      endsOn: today(200),
      place: text("泰国罗勇府", "Rayong, Thailand"),
      manner: text("书面资料与现场指导", "Written materials and on-site guidance"),
    },
    confidentiality: {
      scope: text("工艺参数与配方", "Process parameters and recipes"),
      periodYears: 5,
      obligations: text("不得向第三方披露", "No disclosure to third parties"),
    },
    risk: { allocation: text("实施风险由被许可人承担", "The licensee bears the risk of exploitation") },
    ownership: {
      results: text("后续改进归改进方所有", "Improvements belong to whoever makes them"),
      benefitSharing: text("改进成果互相免费许可", "Improvements are licensed to each other free of charge"),
    },
    acceptance: {
      standard: text("连续三批硅回收率不低于90%", "Three consecutive batches at ≥ 90% silicon recovery"),
      method: text("双方共同现场检测", "Joint on-site testing"),
    },
    payment: {
      mode: "royalty",
      currency: "CNY",
      upfrontFee,
      upfrontDeliverBy,
      base: "sales",
      rate,
      reportingPeriod: "quarterly",
      payWithinDays: 30,
      estimatedRoyalties: 400_000_000,
    },
    breach: {
      liability: text("违约方赔偿守约方实际损失", "The party in breach pays the other's actual loss"),
      computation: text("以合同总价款为限", "Capped at the contract price"),
      latePaymentRatePerDay: "0.0005",
    },
    disputes: {
      resolution: "arbitration",
      forum: text("中国国际经济贸易仲裁委员会", "CIETAC"),
      negotiationDays: 30,
    },
    interpretation: {
      terms: [{ term: text("净销售额", "net sales"), meaning: text("扣除退货后的销售额", "Sales less returns") }],
    },
    right: "patent",
    patent: {
      inventionName: text("一种晶硅光伏组件的回收方法", "A method of recycling crystalline silicon PV modules"),
      applicant: text("云南某理工大学", "A Yunnan University"),
      applicationDate: "2021-03-15",
      applicationNumber: "202110276543.2",
      patentNumber: "ZL202110276543.2",
      grantDate: "2023-06-20",
      validUntil: "2041-03-14",
    },
    licence: {
      kind: "exclusive",
      territory: text("泰国", "Thailand"),
      startsOn: today(1),
      endsOn: today(5 * 365),
      sublicensing: false,
    },
  } as ContractFieldsInput;
}
