import type { ServiceOfferingView, ServiceOrderView } from "tech-transfer-ledger/sdk";

/** An offering as stored: what the API shows. */
export type StoredOffering = ServiceOfferingView;

/** An order as stored: what the API shows less `late`, which depends on the time it is read. */
export type StoredOrder = Omit<ServiceOrderView, "late">;

/** Subject of an offering's records. */
export const offeringSubject = (id: string) => `service-offering:${id}`;
/** Subject of an order's records. */
export const orderSubject = (id: string) => `service-order:${id}`;
