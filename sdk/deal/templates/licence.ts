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
import type { ContractTemplate, TemplateClause } from "./types";

const roles = {
  supplier: { zh: "许可人", en: "Licensor" },
  demander: { zh: "被许可人", en: "Licensee" },
};

const licenceScopeClause: TemplateClause = {
  id: "licenceScope",
  heading: { zh: "许可的方式、地域和期限", en: "Kind, territory and period of the licence" },
  body: {
    zh: "（一）许可方式：{{licence.kind}}\n（二）许可实施的地域范围：{{licence.territory}}\n（三）许可期限：自{{licence.startsOn}}起至{{licence.endsOn}}止；专利许可的期限不超过专利权的有效期限（《民法典》第八百六十五条）。\n（四）被许可人可否再许可第三人实施：{{licence.sublicensing}}",
    en: "(1) Kind of licence: {{licence.kind}}\n(2) Territory in which the technology may be worked: {{licence.territory}}\n(3) Period: from {{licence.startsOn}} to {{licence.endsOn}} inclusive; a patent licence does not outlast the patent (Civil Code art. 865).\n(4) Whether the licensee may sublicense third parties: {{licence.sublicensing}}",
  },
};

/** 技术许可合同 (Civil Code arts. 862–877): a patent or a technical secret, exclusive, sole or ordinary. */
export const licenceTemplate: ContractTemplate = {
  type: "licence",
  version: 1,
  title: { zh: "技术许可合同", en: "Technology Licence Contract" },
  roles,
  preamble: {
    zh: `${partiesBlock("supplier").zh}\n\n双方依据《中华人民共和国民法典》第三编第二十章的规定，就{{projectName}}的{{patent.right}}实施许可，经平等协商，订立本合同。`,
    en: `${partiesBlock("supplier").en}\n\nUnder Book Three, Chapter 20 of the Civil Code of the People's Republic of China, the parties, negotiating as equals, make this contract for a licence to work the {{patent.right}} of {{projectName}}.`,
  },
  clauses: [
    projectNameClause,
    patentClause,
    licenceScopeClause,
    subjectClause({
      zh: "许可人许可被许可人在约定的范围内实施下列技术，并保证是所提供技术的合法拥有者，所提供的技术完整、无误、有效，能够达到约定的目标（《民法典》第八百七十条）：",
      en: "The licensor licenses the licensee to work the following technology within the agreed scope, and warrants that it is the lawful holder and that the technology supplied is complete, free from error, effective and able to reach the agreed goals (Civil Code art. 870):",
    }),
    performanceClause,
    confidentialityClause,
    riskClause({ zh: "", en: "" }),
    ownershipClause({
      zh: "后续改进的技术成果，由完成改进的一方享有，另有约定的除外（《民法典》第八百七十五条）。双方约定如下：\n",
      en: "Improvements made during the licence belong to the party who makes them unless agreed otherwise (Civil Code art. 875). The parties agree as follows:\n",
    }),
    acceptanceClause,
    paymentClause({ zh: "使用费", en: "royalties" }),
    breachClause,
    disputesClause,
    interpretationClause,
  ],
  closing,
};
