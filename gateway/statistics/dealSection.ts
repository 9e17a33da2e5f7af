import type { StatisticsSectionView, StatisticsStepView } from "tech-transfer-ledger/sdk";
import type { DealContracts } from "../deal/contracts";
import type { DealWorkspaces } from "../deal/workspace";
import type { EscrowTerms } from "../escrow/terms";
import type { Deal } from "../market/types";
import type { DealStatistics } from "./deals";
import { inPeriod, ipcSection, tally, type Amount, type Period, type StatisticsReading } from "./sections";
import type { StatisticsSection } from "./sections";

/** What one deal counts for in the deals section. */
interface DealFacts {
  type: string;
  paymentMode: string;
  origin: string;
  state: string;
  ipcSection: string;
  region: string;
  amount?: Amount;
}

/**
 * The deals opened in the period, with their amounts, by contract type, payment
 * mode, how they opened, where they stand, and their supply's IPC section and
 * region; and the time per step (the deal statistics' medians, computed once, in
 * `DealStatistics`).
 *
 * A deal's type, payment mode and amount come from its signed technology contract
 * (its registration data: the contract amount, for royalties the upfront fee plus
 * the estimated royalties); without one, from the escrow terms both parties signed
 * (payment mode `lumpSum` with one milestone, `instalments` with more; amount their
 * total); without those, the amount is the price fixed when the deal opened (a
 * listed price, an auction or a bid), and type and payment mode are `none`.
 */
export class DealSection implements StatisticsSection {
  readonly name = "deals";

  constructor(
    private readonly contracts: DealContracts,
    private readonly escrowTerms: EscrowTerms,
    private readonly workspaces: DealWorkspaces,
    private readonly dealStatistics: DealStatistics,
  ) {}

  async figures(period: Period, reading: StatisticsReading): Promise<StatisticsSectionView> {
    const within = inPeriod(period);
    const { deals } = await reading.market();
    // Each deal's few reads (workspace, contract, terms) wait on the store, not on each other.
    const [facts, { overall }] = await Promise.all([
      Promise.all(deals.filter((d) => within(d.openedAt)).map((deal) => this.factsOf(deal, reading))),
      this.dealStatistics.deals(period, reading),
    ]);
    const steps: StatisticsStepView[] = (
      ["matchToContract", "contractToFirstDelivery", "inspection", "followUpResponse"] as const
    ).map((step) => ({ step, ...overall[step] }));
    return {
      ...tally(
        this.name,
        facts,
        {
          type: (deal) => deal.type,
          paymentMode: (deal) => deal.paymentMode,
          origin: (deal) => deal.origin,
          state: (deal) => deal.state,
          ipcSection: (deal) => deal.ipcSection,
          region: (deal) => deal.region,
        },
        (deal) => deal.amount,
      ),
      steps,
    };
  }

  private async factsOf(deal: Deal, reading: StatisticsReading): Promise<DealFacts> {
    const supply = await reading.contentOf(deal.supplyId);
    const where = {
      origin: originOf(deal),
      state: (await this.workspaces.stateOf(deal.id)).state,
      ipcSection: ipcSection(supply),
      region: supply?.region ?? "unknown",
    };
    const registration = await this.contracts.signedRegistrationOf(deal.id);
    if (registration) {
      return {
        ...where,
        type: registration.contractType,
        paymentMode: registration.paymentMode,
        amount: { currency: registration.currency, amount: registration.amount },
      };
    }
    const standing = await this.escrowTerms.standing(deal.id);
    if (standing.status === "signed" || standing.status === "created") {
      const terms = await this.escrowTerms.get(deal.id);
      return {
        ...where,
        type: "none",
        paymentMode: terms.milestones.length === 1 ? "lumpSum" : "instalments",
        amount: { currency: terms.currency, amount: terms.total },
      };
    }
    return { ...where, type: "none", paymentMode: "none", ...(deal.price && { amount: deal.price }) };
  }
}

/** How a deal opened: a confirmed match, an auction, a sealed bidding, or a listed price accepted. */
function originOf(deal: Deal): string {
  if (deal.tradeId?.startsWith("auc_")) return "auction";
  if (deal.tradeId?.startsWith("bid_")) return "sealed-bidding";
  if (deal.matchId) return "match";
  return "listed-price";
}
