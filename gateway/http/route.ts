import type { Context } from "koa";
import { z } from "zod";
import type { Access, Principal } from "../auth/roles";
import type { ErrorDetail } from "tech-transfer-ledger/sdk";
import { badRequest, type GatewayError } from "../errors";
import type { ReceiptCollector } from "../evidence/receipts";
import type { HeldScope } from "../store/groupCommit";

/** What a handler gets: validated input and the caller. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal | undefined;
  ctx: Context;
  /** The receipts of what this request records; a route with `explicitScope` hands them to the recorder. */
  receipts: ReceiptCollector;
  /**
   * The writes held for an idempotent request's answer (`commitWithAnswer`), if
   * this one is: a route with `explicitScope` hands them to the recorder too.
   */
  held?: HeldScope;
}

/** What a handler answers: a status and a JSON body (or raw content with its type). */
export interface RouteOutput {
  status: number;
  body: unknown;
  type?: string;
  headers?: Record<string, string>;
}

/**
 * One HTTP route: where it is, who may call it, the schemas that validate its
 * input (the same ones the OpenAPI description is generated from) and a thin
 * handler that calls a service.
 */
export interface Route<P = unknown, Q = unknown, B = unknown> {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Koa-style path: `/v1/evidence/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Largest accepted body in bytes, when there is a body. */
  bodyLimit?: number;
  /** Honours `Idempotency-Key` (required on signed requests): a retry gets the first answer. */
  idempotent?: boolean;
  /**
   * The handler calls nothing outside the store after it writes (no chain, no
   * webhook): an idempotent request's writes then wait for its answer and are
   * committed with it, in one group commit instead of two.
   */
  commitWithAnswer?: boolean;
  /**
   * The handler hands `receipts` and `held` to the recorder itself, so the
   * request is not run inside the async-local storages that find them otherwise:
   * on Node 20 such a storage slows every promise while any request is inside it
   * (ScopedStorage). For the hottest routes, whose handler calls the recorder
   * directly and nothing that finds the request's scope on its own (a keyed lock).
   */
  explicitScope?: boolean;
  /**
   * Completes a successful answer, the first one or a kept one replayed, with
   * what is derived from it rather than kept with it: `POST /v1/evidence` adds
   * the record's receipt, signed on its own so that the replay signs the same
   * bytes again. The idempotent answer is then kept, and committed, before its
   * receipt is signed, and the signature no longer delays the commit.
   */
  completeAnswer?(output: RouteOutput, receipts: ReceiptCollector): Promise<RouteOutput>;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /**
   * Also identifies a caller who sends no credential header by a single-use
   * ticket in the query (`?ticket=`), which this redeems or refuses with a 401:
   * for a browser's `EventSource`, which cannot send headers.
   */
  ticket?: (ticket: string) => Principal;
  handler(input: RouteInput<P, Q, B>): Promise<RouteOutput> | RouteOutput;
}

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<P = undefined, Q = undefined, B = undefined>(route: Route<P, Q, B>): Route {
  return route as unknown as Route;
}

/**
 * Validates `value` with `schema`. Every problem is reported, not only the first:
 * a 400 `INVALID_REQUEST` whose `error.details` lists them as `{ path, code, message }`.
 */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidRequest(inputProblems(result.error, where));
}

/**
 * zod's issues as the API's problems. `code` is zod's issue code in upper case
 * (`INVALID_TYPE`, `TOO_SMALL`, `UNRECOGNIZED_KEYS`, …), or the code a refinement
 * names in its `params.code` (the identity validators' `RESIDENT_ID_FORMAT`, …).
 */
export function inputProblems(error: z.ZodError, where: string): ErrorDetail[] {
  return error.issues.map((issue) => {
    const named = (issue as { params?: { code?: unknown } }).params?.code;
    return {
      path: [where, ...issue.path.map(String)].join("."),
      code: typeof named === "string" ? named : issue.code.toUpperCase(),
      message: issue.message,
    };
  });
}

/** One 400 for all the problems of a request; its message names the first and counts the rest. */
export function invalidRequest(problems: readonly ErrorDetail[]): GatewayError {
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problems, listed in error.details)` : "";
  return badRequest("INVALID_REQUEST", `${first.path}: ${first.message}${more}`, problems);
}

/** The error body every 4xx carries. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z
        .array(
          z
            .object({
              path: z.string().meta({ description: "Where: `body.price`, `query.limit`, `path.id`" }),
              code: z
                .string()
                .meta({ description: "A stable code: `INVALID_TYPE`, `TOO_SMALL`, `RESIDENT_ID_FORMAT`, …" }),
              message: z.string(),
            })
            .meta({ id: "ErrorDetail" }),
        )
        .optional()
        .meta({ description: "Every problem of a refused request's input (400 INVALID_REQUEST), not only the first" }),
    }),
  })
  .meta({ id: "Error", description: "A stable code for programs and a message for people." });
