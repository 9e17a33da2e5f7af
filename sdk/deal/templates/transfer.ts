import {
  acceptanceClause,
  breachClause,
  closing,
  confidentialityClause,
  disputesClause,
  interpretationClause,
  ownershipClause,
  partiesBlock,
  patentClause,
  paymentClause,
  performanceClause,
  projectNameClause,
  riskClause,
  subjectClause,
} from "./common";
import type { ContractTemplate } from "./types";

const roles = {
  supplier: { zh: "让与人", en: "Transferor" },
  demander: { zh: "受让人", en: "Transferee" },
};

/** 技术转让合同 (Civil Code arts. 862–877): a patent, a patent application or a technical secret. */
export const transferTemplate: ContractTemplate = {
  type: "transfer",
  version: 1,
  title: { zh: "技术转让合同", en: "Technology Transfer Contract" },
  roles,
  preamble: {
    zh: `${partiesBlock("supplier").zh}\n\n双方依据《中华人民共和国民法典》第三编第二十章的规定，就{{projectName}}的{{patent.right}}转让，经平等协商，订立本合同。`,
    en: `${partiesBlock("supplier").en}\n\nUnder Book Three, Chapter 20 of the Civil Code of the People's Republic of China, the parties, negotiating as equals, make this contract for the transfer of the {{patent.right}} of {{projectName}}.`,
  },
  clauses: [
    projectNameClause,
    patentClause,
    subjectClause({
      zh: "让与人将其合法拥有的下列技术的权利让与受让人，并保证是所提供技术的合法拥有者，所提供的技术完整、无误、有效，能够达到约定的目标（《民法典》第八百七十条）：",
      en: "The transferor transfers to the transferee its rights in the following technology, which it lawfully holds, and warrants that it is the lawful holder and that the technology supplied is complete, free from error, effective and able to reach the agreed goals (Civil Code art. 870):",
    }),
    performanceClause,
    confidentialityClause,
    riskClause({ zh: "", en: "" }),
    ownershipClause({
      zh: "后续改进的技术成果，由完成改进的一方享有，另有约定的除外（《民法典》第八百七十五条）。双方约定如下：\n",
      en: "Improvements made after the transfer belong to the party who makes them unless agreed otherwise (Civil Code art. 875). The parties agree as follows:\n",
    }),
    acceptanceClause,
    paymentClause({ zh: "转让费", en: "transfer fee" }),
    breachClause,
    disputesClause,
    interpretationClause,
  ],
  closing,
};
