import type { Database } from "../store/database";
import type { StoredOffering, StoredOrder } from "./types";

/** Service management's tables: offerings, orders, and the orders of each deal. */
export class ServiceRepository {
  /** Offerings by id. */
  readonly offerings;
  /** Orders by id. */
  readonly orders;
  /** `dealId NUL orderId` → orderId: the orders placed for a deal, for the evaluation report that delivers one. */
  readonly ordersByDeal;

  constructor(readonly database: Database) {
    this.offerings = database.table<StoredOffering>("service-offerings");
    this.orders = database.table<StoredOrder>("service-orders");
    this.ordersByDeal = database.table<string>("service-orders-by-deal", "utf8");
  }
}
