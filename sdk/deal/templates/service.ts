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
  supplier: { zh: "受托人", en: "Service provider" },
  demander: { zh: "委托人", en: "Client" },
};

/** 技术服务合同 (Civil Code arts. 878–887): technical knowledge applied to a specific technical problem. */
export const serviceTemplate: ContractTemplate = {
  type: "service",
  version: 1,
  title: { zh: "技术服务合同", en: "Technology Service Contract" },
  roles,
  preamble: {
    zh: `${partiesBlock("demander").zh}\n\n双方依据《中华人民共和国民法典》第三编第二十章的规定，就{{projectName}}的技术服务，经平等协商，订立本合同。`,
    en: `${partiesBlock("demander").en}\n\nUnder Book Three, Chapter 20 of the Civil Code of the People's Republic of China, the parties, negotiating as equals, make this contract for technical services on {{projectName}}.`,
  },
  clauses: [
    projectNameClause,
    subjectClause({
      zh: "受托人以技术知识为委托人解决下列特定技术问题（《民法典》第八百七十八条第二款）：{{service.problem}}",
      en: "The service provider applies technical knowledge to solve the following specific technical problem for the client (Civil Code art. 878 para. 2): {{service.problem}}",
    }),
    performanceClause,
    confidentialityClause,
    riskClause({
      zh: "受托人未按照约定完成服务工作的，应当承担免收报酬等违约责任（《民法典》第八百八十四条）。",
      en: "A service provider who does not complete the work as agreed bears liability for breach, such as forgoing its fee (Civil Code art. 884). ",
    }),
    ownershipClause({
      zh: "受托人利用委托人提供的技术资料和工作条件完成的新的技术成果，属于受托人；委托人利用受托人的工作成果完成的新的技术成果，属于委托人，另有约定的除外（《民法典》第八百八十五条）。双方约定如下：\n",
      en: "A new technical result the provider makes with the client's materials and working conditions belongs to the provider; one the client makes with the provider's work belongs to the client, unless agreed otherwise (Civil Code art. 885). The parties agree as follows:\n",
    }),
    acceptanceClause,
    paymentClause({ zh: "服务报酬", en: "service fee" }),
    breachClause,
    disputesClause,
    interpretationClause,
  ],
  closing,
};
