import { assertDealId, assertObject } from "../assert";
import { type CheckInView } from "../aftercareSchemas";
import type { GatewayClientBase } from "../createGatewayClient";

/** When a check-in falls due: months or days after the delivery, or a date to come (ISO date-time). */
export type CheckInWhen = { afterMonths: number } | { afterDays: number } | { dueAt: string };

export interface ScheduleCheckInsParameters {
  dealId: string;
  /** Whom the check-ins ask (the demander by default). */
  party?: "supplier" | "demander";
  /** When each falls due: months or days after the delivery, or a date to come. */
  when: CheckInWhen[];
}
export type ScheduleCheckInsReturnType = { checkIns: CheckInView[] };

/**
 * Schedules follow-up check-ins with the questionnaire, as the deal's manager (POST /v1/deals/:id/check-ins).
 * The platform tells the party when each falls due.
 *
 * @example
 * const { checkIns } = await manager.scheduleCheckIns({ dealId, when: [{ afterMonths: 1 }, { afterMonths: 3 }, { afterMonths: 6 }] });
 */
export async function scheduleCheckIns(
  client: GatewayClientBase,
  parameters: ScheduleCheckInsParameters,
): Promise<ScheduleCheckInsReturnType> {
  assertObject(parameters, "parameters");
  const { dealId, party, when } = parameters;
  assertDealId(dealId);
  return client.request<ScheduleCheckInsReturnType>("POST", `/v1/deals/${dealId}/check-ins`, {
    when,
    ...(party !== undefined && { party }),
  });
}
