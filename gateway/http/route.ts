import type { Context } from "koa";
import { z } from "zod";
import type { Access, Principal } from "../auth/roles";
import { badRequest } from "../errors";

/** What a handler gets: validated input and the caller. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal | undefined;
  ctx: Context;
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
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  handler(input: RouteInput<P, Q, B>): Promise<RouteOutput> | RouteOutput;
}

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<P = undefined, Q = undefined, B = undefined>(route: Route<P, Q, B>): Route {
  return route as unknown as Route;
}

/** Validates `value` with `schema`, turning the first problem into a 400 with its path. */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.length ? `${where}.${issue.path.join(".")}` : where;
  throw badRequest("INVALID_REQUEST", `${path}: ${issue.message}`);
}

/** The error body every 4xx carries. */
export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: "Error", description: "A stable code for programs and a message for people." });
