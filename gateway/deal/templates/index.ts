import {
  CONTRACT_TEMPLATES,
  CONTRACT_TYPES,
  requiredClauses,
  type ContractTemplate,
  type ContractType,
} from "tech-transfer-ledger/sdk";

// The contract templates' texts are data held in the SDK (sdk/deal/templates/), so that a party
// renders, checks and signs the very bytes the gateway renders with the SDK alone, without the
// gateway's code. This is the gateway's one door to them: the deal routes list and serve the
// templates from here and never reach into the SDK's files.

/** What the gateway says of a template when parties pick one: its type, version, title and clauses. */
export interface TemplateSummary {
  type: ContractType;
  version: number;
  title: { zh: string; en: string };
  roles: ContractTemplate["roles"];
  /** Role names by kind, where the type comes in kinds (a cooperative development has two co-developers). */
  rolesByKind?: Record<string, ContractTemplate["roles"]>;
  clauses: Array<{ id: string; heading: { zh: string; en: string } }>;
}

/** The templates, in the Civil Code's order of the five contracts. */
export function listContractTemplates(): TemplateSummary[] {
  return CONTRACT_TYPES.map((type) => summarize(CONTRACT_TEMPLATES[type]));
}

/** One type's full template (texts with placeholders), or undefined for an unknown type. */
export function contractTemplate(type: string): ContractTemplate | undefined {
  return (CONTRACT_TYPES as readonly string[]).includes(type) ? CONTRACT_TEMPLATES[type as ContractType] : undefined;
}

/** The clause ids a type's template carries beyond art. 845 (patent particulars, licence scope). */
export function clausesRequiredOf(type: ContractType): string[] {
  return requiredClauses(type);
}

function summarize(template: ContractTemplate): TemplateSummary {
  return {
    type: template.type,
    version: template.version,
    title: template.title,
    roles: template.roles,
    ...(template.kinds && {
      rolesByKind: Object.fromEntries(Object.entries(template.kinds).map(([kind, variant]) => [kind, variant.roles])),
    }),
    clauses: template.clauses.map((clause) => ({ id: clause.id, heading: clause.heading })),
  };
}
