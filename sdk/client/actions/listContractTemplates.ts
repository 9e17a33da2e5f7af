import type { GatewayClientBase } from "../createGatewayClient";
import type { ContractType } from "../../deal/contractTypes";

export type ListContractTemplatesReturnType = {
  templates: Array<{
    type: ContractType;
    version: number;
    title: { zh: string; en: string };
    roles: Record<string, unknown>;
    clauses: Array<{ id: string; heading: { zh: string; en: string } }>;
  }>;
};

/**
 * The five technology contract templates: type, version, title and clauses (GET /v1/contract-templates).
 *
 * @example
 * const { templates } = await client.listContractTemplates();
 */
export async function listContractTemplates(client: GatewayClientBase): Promise<ListContractTemplatesReturnType> {
  return client.request<ListContractTemplatesReturnType>("GET", "/v1/contract-templates");
}
