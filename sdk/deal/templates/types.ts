import type { Bilingual, ContractClause, ContractType } from "../contractTypes";

export interface TemplateRoles {
  supplier: Bilingual;
  demander: Bilingual;
}

/** One clause of a template: its art. 845 id, its heading and its text, with `{{field.path}}` placeholders. */
export interface TemplateClause {
  id: ContractClause;
  heading: Bilingual;
  body: Bilingual;
}

/**
 * A contract template as data: the renderer fills its placeholders from the contract's fields
 * (docs/CONTRACTS.md lists them). `version` changes whenever a text changes, so a signed
 * contract names the template text it was drawn from.
 */
export interface ContractTemplate {
  type: ContractType;
  version: number;
  title: Bilingual;
  /** What each party is called in this contract (委托方, 研究开发方 …): the `{{role.supplier}}`, `{{role.demander}}` placeholders. */
  roles: TemplateRoles;
  /**
   * For a type that comes in kinds (development: commissioned or cooperative), what changes with
   * the kind: the role names (replacing `roles`) and texts filled into `{{kind.<name>}}` placeholders.
   */
  kinds?: Record<string, { roles: TemplateRoles; texts: Record<string, Bilingual> }>;
  preamble: Bilingual;
  clauses: TemplateClause[];
  closing: Bilingual;
}
