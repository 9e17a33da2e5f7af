import {
  acceptanceClause,
  breachClause,
  closing,
  confidentialityClause,
  disputesClause,
  interpretationClause,
  ownershipClause,
  partiesBlock,
  paymentClause,
  performanceClause,
  projectNameClause,
  riskClause,
  subjectClause,
} from "./common";
import type { ContractTemplate } from "./types";

const roles = {
  supplier: { zh: "研究开发方", en: "Developer" },
  demander: { zh: "委托方", en: "Commissioning party" },
};

// A cooperative development (art. 855) has no commissioning party: both invest and share the work.
const cooperativeRoles = {
  supplier: { zh: "合作开发方（乙方）", en: "Party B (co-developer)" },
  demander: { zh: "合作开发方（甲方）", en: "Party A (co-developer)" },
};

/** 技术开发合同 (Civil Code arts. 851–861): commissioned or cooperative development. */
export const developmentTemplate: ContractTemplate = {
  type: "development",
  version: 1,
  title: { zh: "技术开发合同", en: "Technology Development Contract" },
  roles,
  kinds: {
    commissioned: {
      roles,
      texts: {
        undertaking: {
          zh: "研究开发方按照本合同的约定，为委托方研究开发下列新技术、新产品、新工艺、新品种或者新材料及其系统（《民法典》第八百五十二条、第八百五十三条）：",
          en: "The developer researches and develops for the commissioning party, as this contract provides, the following new technology, product, process, variety or material, or system of them (Civil Code arts. 852 and 853):",
        },
      },
    },
    cooperative: {
      roles: cooperativeRoles,
      texts: {
        undertaking: {
          zh: "双方按照本合同的约定进行投资（包括以技术进行投资），分工参与、协作配合研究开发下列新技术、新产品、新工艺、新品种或者新材料及其系统（《民法典》第八百五十五条）：",
          en: "The parties invest as this contract provides (including by contributing technology), and share and cooperate in the research and development of the following new technology, product, process, variety or material, or system of them (Civil Code art. 855):",
        },
      },
    },
  },
  preamble: {
    zh: `${partiesBlock("demander").zh}\n\n双方依据《中华人民共和国民法典》第三编第二十章的规定，就{{projectName}}的{{development.kind}}，经平等协商，订立本合同。`,
    en: `${partiesBlock("demander").en}\n\nUnder Book Three, Chapter 20 of the Civil Code of the People's Republic of China, the parties, negotiating as equals, make this contract for the {{development.kind}} of {{projectName}}.`,
  },
  clauses: [
    projectNameClause,
    subjectClause({ zh: "{{kind.undertaking}}", en: "{{kind.undertaking}}" }),
    performanceClause,
    confidentialityClause,
    riskClause({
      zh: "在研究开发过程中，因出现在现有技术水平和条件下难以克服的技术困难，致使研究开发失败或者部分失败的，发现该情形的一方应当及时通知另一方并采取适当措施减少损失（《民法典》第八百五十八条）。",
      en: "Where research and development fails in whole or in part because of a technical difficulty that cannot be overcome with the state of the art and the conditions available, the party who finds it tells the other at once and takes suitable measures to limit the loss (Civil Code art. 858). ",
    }),
    ownershipClause({
      zh: "委托开发完成的发明创造，除法律另有规定或者当事人另有约定外，申请专利的权利属于研究开发方；合作开发完成的发明创造，申请专利的权利属于合作开发的当事人共有（《民法典》第八百五十九条、第八百六十条）。双方约定如下：\n",
      en: "Unless the law or the parties provide otherwise, the right to apply for a patent on an invention made in commissioned development belongs to the developer, and in cooperative development to the parties jointly (Civil Code arts. 859 and 860). The parties agree as follows:\n",
    }),
    acceptanceClause,
    paymentClause({ zh: "研究开发经费和报酬", en: "research and development funding and remuneration" }),
    breachClause,
    disputesClause,
    interpretationClause,
  ],
  closing,
};
