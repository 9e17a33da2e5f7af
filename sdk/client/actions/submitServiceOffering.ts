import { assertObject } from "../assert";
import type { GatewayClientBase } from "../createGatewayClient";
import type { OfferingInput, ServiceOfferingView } from "../serviceSchemas";

export type SubmitServiceOfferingParameters = OfferingInput;
export type SubmitServiceOfferingReturnType = ServiceOfferingView;

/**
 * Publishes a service offering, as a certified service institution (POST /v1/service-offerings). It
 * waits for a reviewer to check each qualification; certificate numbers in the wrong format are refused
 * (`QUALIFICATION_NUMBER_FORMAT`, each in `details`).
 *
 * @example
 * const offering = await agency.submitServiceOffering({ kind: "ip", title: { zh: "专利检索" },
 *   description: { zh: "查新检索与自由实施分析" }, turnaroundDays: 10, price: { amount: 800_000, currency: "CNY" },
 *   qualifications: [{ type: "patent_agency", number: "53101", issuer: "国家知识产权局", expiresOn: "2030-12-31" }] });
 */
export async function submitServiceOffering(
  client: GatewayClientBase,
  parameters: SubmitServiceOfferingParameters,
): Promise<SubmitServiceOfferingReturnType> {
  assertObject(parameters, "parameters");
  return client.request<SubmitServiceOfferingReturnType>("POST", "/v1/service-offerings", parameters);
}
