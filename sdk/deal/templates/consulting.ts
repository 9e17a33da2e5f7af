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
  supplier: { zh: "受托人", en: "Consultant" },
  demander: { zh: "委托人", en: "Client" },
};

/** 技术咨询合同 (Civil Code arts. 878–887): a feasibility study, forecast, investigation or analysis. */
export const consultingTemplate: ContractTemplate = {
  type: "consulting",
  version: 1,
  title: { zh: "技术咨询合同", en: "Technology Consulting Contract" },
  roles,
  preamble: {
    zh: `${partiesBlock("demander").zh}\n\n双方依据《中华人民共和国民法典》第三编第二十章的规定，就{{projectName}}的{{consulting.kind}}，经平等协商，订立本合同。`,
    en: `${partiesBlock("demander").en}\n\nUnder Book Three, Chapter 20 of the Civil Code of the People's Republic of China, the parties, negotiating as equals, make this contract for a {{consulting.kind}} on {{projectName}}.`,
  },
  clauses: [
    projectNameClause,
    subjectClause({
      zh: "受托人就下列特定技术项目为委托人提供{{consulting.kind}}（《民法典》第八百七十八条第一款）：",
      en: "The consultant provides the client with a {{consulting.kind}} on the following specific technical project (Civil Code art. 878 para. 1):",
    }),
    performanceClause,
    confidentialityClause,
    riskClause({
      zh: "委托人按照受托人符合约定要求的咨询报告和意见作出决策所造成的损失，由委托人承担，但是当事人另有约定的除外（《民法典》第八百八十一条）。",
      en: "A loss the client suffers from a decision it takes on the consultant's report or opinion that meets the agreed requirements is the client's, unless the parties agree otherwise (Civil Code art. 881). ",
    }),
    ownershipClause({
      zh: "受托人利用委托人提供的技术资料和工作条件完成的新的技术成果，属于受托人；委托人利用受托人的工作成果完成的新的技术成果，属于委托人，另有约定的除外（《民法典》第八百八十五条）。双方约定如下：\n",
      en: "A new technical result the consultant makes with the client's materials and working conditions belongs to the consultant; one the client makes with the consultant's work belongs to the client, unless agreed otherwise (Civil Code art. 885). The parties agree as follows:\n",
    }),
    acceptanceClause,
    paymentClause({ zh: "咨询报酬", en: "consulting fee" }),
    breachClause,
    disputesClause,
    interpretationClause,
  ],
  closing,
};
