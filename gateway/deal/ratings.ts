import type { RatedRole, RatingSummaryView } from "tech-transfer-ledger/sdk";
import type { Principal } from "../auth/roles";
import { conflict, forbidden, unprocessable } from "../errors";
import type { EvidenceRecorder } from "../evidence/recorder";
import { dealSubject } from "../market/types";
import { RATING_STATES, type Rating } from "./aftercareTypes";
import { dealItemKey, type DealRepository } from "./repository";
import type { DealWorkspace } from "./types";
import type { DealWorkspaces } from "./workspace";

/** Who is rated as `platform`. */
export const PLATFORM = "platform";

/** What a party says of one participant. */
export interface RatingInput {
  role: RatedRole;
  /** Which evaluator, when the deal engaged more than one. */
  userId?: string;
  score: number;
  comment?: string;
}

/**
 * Ratings (clause 6.11, docs/AFTERCARE.md): once the deal is delivered, each
 * party rates the counter-party, the deal's broker, its manager, each evaluator
 * and the platform, 1 to 5 with a comment, once each per deal; each rating is an
 * `improvement.recorded` record of the deal. A user's figures (mean and count,
 * overall and per capacity) show on `GET /v1/users/:id/ratings`.
 */
export class DealRatings {
  constructor(
    private readonly tables: DealRepository,
    private readonly recorder: EvidenceRecorder,
    private readonly workspaces: DealWorkspaces,
  ) {}

  async rate(caller: Principal, dealId: string, input: RatingInput): Promise<Rating> {
    const { workspace, actors } = await this.workspaces.standing(caller, dealId);
    const side = actors.find((actor) => actor === "supplier" || actor === "demander");
    if (!side) throw forbidden("PARTIES_ONLY", "ratings are given by the deal's supplier and demander");
    if (!(RATING_STATES as readonly string[]).includes(workspace.state)) {
      throw conflict("NOT_DELIVERED_YET", `the deal is ${workspace.state}: ratings are given once it is delivered`);
    }
    const ratedId = ratedOf(workspace, side, input);
    if (ratedId === caller.id) throw unprocessable("CANNOT_RATE_YOURSELF", "you cannot rate yourself");
    const key = dealItemKey(dealId, `${caller.id}\x00${input.role}\x00${ratedId}`);
    return this.workspaces.lock.run([`${dealId}:ratings`], async () => {
      if (await this.tables.ratings.get(key)) {
        throw conflict("ALREADY_RATED", `you rated the ${input.role} of this deal already`);
      }
      return this.recorder.write(async (unit) => {
        const record = await unit.seal({
          kind: "improvement.recorded",
          subject: dealSubject(dealId),
          data: {
            step: "rating.given",
            by: caller.id,
            as: side,
            role: input.role,
            rated: ratedId,
            score: input.score,
            ...(input.comment && { comment: input.comment }),
          },
        });
        const rating: Rating = {
          dealId,
          raterId: caller.id,
          raterAs: side,
          role: input.role,
          ratedId,
          score: input.score,
          ...(input.comment && { comment: input.comment }),
          at: record.header.recordedAt,
          recordId: record.header.id,
        };
        unit.put(this.tables.ratings, key, rating);
        unit.put(this.tables.ratingsByRated, `${ratedId}\x00${dealId}\x00${caller.id}\x00${input.role}`, rating);
        return rating;
      });
    });
  }

  /** The deal's ratings, for its participants and overseers. */
  async list(viewer: Principal, dealId: string): Promise<Rating[]> {
    await this.workspaces.standing(viewer, dealId);
    return this.tables.itemsOf(this.tables.ratings, dealId);
  }

  /** The mean score and count of `ratedId` (a user id, or `platform`), overall and per capacity rated in. */
  async summary(ratedId: string): Promise<RatingSummaryView> {
    const scores = new Map<RatedRole, number[]>();
    for await (const rating of this.tables.ratingsByRated.values({ gte: `${ratedId}\x00`, lt: `${ratedId}\x01` })) {
      scores.set(rating.role, [...(scores.get(rating.role) ?? []), rating.score]);
    }
    return {
      ratedId,
      overall: averageOf([...scores.values()].flat()),
      byRole: Object.fromEntries([...scores].map(([role, list]) => [role, averageOf(list)])),
    };
  }
}

/** Whom `input` rates in the deal, or the 422 that says the deal has no such participant. */
function ratedOf(workspace: DealWorkspace, side: "supplier" | "demander", input: RatingInput): string {
  switch (input.role) {
    case "platform":
      return PLATFORM;
    case "counterparty":
      return side === "supplier" ? workspace.demanderId : workspace.supplierId;
    case "broker":
    case "manager": {
      const userId = workspace[input.role].userId;
      if (!userId) throw unprocessable("NO_SUCH_PARTICIPANT", `the deal has no ${input.role}`);
      return userId;
    }
    case "evaluator": {
      const engaged = workspace.evaluators.map((e) => e.userId);
      if (engaged.length === 0) throw unprocessable("NO_SUCH_PARTICIPANT", "the deal engaged no evaluator");
      if (input.userId === undefined && engaged.length > 1) {
        throw unprocessable("EVALUATOR_REQUIRED", "the deal engaged several evaluators: say which (userId)");
      }
      const userId = input.userId ?? engaged[0];
      if (!engaged.includes(userId)) {
        throw unprocessable("NO_SUCH_PARTICIPANT", `${userId} is not an evaluator of the deal`);
      }
      return userId;
    }
  }
}

function averageOf(scores: number[]) {
  const count = scores.length;
  const sum = scores.reduce((a, b) => a + b, 0);
  return { count, average: count === 0 ? null : Math.round((sum / count) * 100) / 100 };
}
