import type { StatisticsSectionView } from "tech-transfer-ledger/sdk";
import type { ServiceOrders } from "../services/orders";
import { inPeriod, tally, type Period, type StatisticsSection } from "./sections";

/**
 * The service orders placed in the period (委托, docs/SERVICES.md), read through
 * the orders' service: by kind of service (evaluation, ip, legal, …), by the
 * evaluation's kind for evaluation orders (`none` for the others), and by where
 * each order stands now.
 */
export class ServiceOrderSection implements StatisticsSection {
  readonly name = "serviceOrders";

  constructor(private readonly orders: ServiceOrders) {}

  async figures(period: Period): Promise<StatisticsSectionView> {
    const within = inPeriod(period);
    // The orders' own period filter compares text; the statistics compare instants, as every section does.
    const orders = (await this.orders.forStatistics()).filter((order) => within(order.createdAt));
    return tally(this.name, orders, {
      kind: (order) => order.kind,
      evaluationKind: (order) => order.evaluationKind ?? "none",
      state: (order) => order.state,
    });
  }
}
