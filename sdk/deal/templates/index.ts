import type { ContractType } from "../contractTypes";
import { consultingTemplate } from "./consulting";
import { developmentTemplate } from "./development";
import { licenceTemplate } from "./licence";
import { serviceTemplate } from "./service";
import { transferTemplate } from "./transfer";
import type { ContractTemplate } from "./types";

/**
 * The five contract templates, by type: data the renderer reads. They live in the SDK so that
 * a client renders, checks and signs a contract with the SDK alone (the same bytes the gateway
 * renders); the gateway reads them through `tech-transfer-ledger/sdk` (gateway/deal/templates).
 *
 * @example
 * CONTRACT_TEMPLATES.licence.clauses.map((clause) => clause.id);
 */
export const CONTRACT_TEMPLATES: Readonly<Record<ContractType, ContractTemplate>> = {
  development: developmentTemplate,
  transfer: transferTemplate,
  licence: licenceTemplate,
  consulting: consultingTemplate,
  service: serviceTemplate,
};

export type { ContractTemplate, TemplateClause, TemplateRoles } from "./types";
