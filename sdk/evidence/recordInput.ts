import { SUBJECT_PATTERN } from "../patterns";
import { utf8Length } from "./bytes";
import { canonicalJson } from "./canonical";
import { FIELD_NAME_PATTERN } from "./record";
import { recordDataProblem } from "./recordData";

/** What a record's input may hold: the gateway's defaults, which its OpenAPI description states. */
export interface RecordInputLimits {
  /** Largest canonical JSON of a record's data, in bytes. */
  maxDataBytes: number;
  maxFiles: number;
  maxFileBytes: number;
}

export const DEFAULT_RECORD_INPUT_LIMITS: RecordInputLimits = {
  maxDataBytes: 64 * 1024,
  maxFiles: 8,
  maxFileBytes: 8 * 1024 * 1024,
};

/** A reason a record's input is refused: a code, where, what, and the HTTP status that fits it. */
export interface RecordInputProblem {
  code: string;
  path: string;
  message: string;
  status: 400 | 413;
}

/**
 * The one check of a record's content, shared by the gateway's route, its
 * recorder and any client that wants to refuse early: subject, data (an object,
 * nesting, reserved names, field names, size as canonical JSON) and files (how
 * many, how large). The kind is the gateway's vocabulary and checked there.
 *
 * @example
 * recordInputProblem({ subject: "deal:1", data: { $files: [] } })?.code // "INVALID_FIELD_NAME"
 */
export function recordInputProblem(
  input: { subject: string; data: unknown; files?: ReadonlyArray<{ name: string; size: number }> },
  limits: RecordInputLimits = DEFAULT_RECORD_INPUT_LIMITS,
): RecordInputProblem | undefined {
  if (typeof input.subject !== "string" || !SUBJECT_PATTERN.test(input.subject)) {
    return {
      code: "INVALID_SUBJECT",
      path: "subject",
      message: "subject must be 1–128 characters: letters, digits and : _ . @ -, starting with a letter or digit",
      status: 400,
    };
  }
  const { data } = input;
  const fieldsProblem = recordFieldsProblem(data);
  if (fieldsProblem) return fieldsProblem;
  let size: number;
  try {
    size = utf8Length(canonicalJson(data));
  } catch (error) {
    return { code: "INVALID_DATA", path: "data", message: (error as Error).message, status: 400 };
  }
  if (size > limits.maxDataBytes) {
    return {
      code: "DATA_TOO_LARGE",
      path: "data",
      message: `data is ${size} bytes; the limit is ${limits.maxDataBytes}`,
      status: 413,
    };
  }
  const files = input.files ?? [];
  if (files.length > limits.maxFiles) {
    return {
      code: "TOO_MANY_FILES",
      path: "files",
      message: `${files.length} files; the limit is ${limits.maxFiles} per record`,
      status: 400,
    };
  }
  for (const [index, file] of files.entries()) {
    if (file.size > limits.maxFileBytes) {
      return {
        code: "FILE_TOO_LARGE",
        path: `files.${index}`,
        message: `file "${file.name}" is ${file.size} bytes; the limit is ${limits.maxFileBytes}`,
        status: 413,
      };
    }
  }
  return undefined;
}

/**
 * The part of {@link recordInputProblem} that needs no serialization: data is an
 * object, nests at most 32 levels, has no `__proto__` member, and its field names
 * match `FIELD_NAME_PATTERN`. The gateway's route checks this much on arrival.
 */
export function recordFieldsProblem(data: unknown): RecordInputProblem | undefined {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return { code: "INVALID_DATA", path: "data", message: "data must be a JSON object", status: 400 };
  }
  const problem = recordDataProblem(data);
  if (problem) return { ...problem, status: 400 };
  for (const name of Object.keys(data)) {
    if (!FIELD_NAME_PATTERN.test(name)) {
      return {
        code: "INVALID_FIELD_NAME",
        path: `data.${name.slice(0, 70)}`,
        message: `field name "${name.slice(0, 70)}" is not allowed: 1–64 characters, letters, digits and _ . -, starting with a letter`,
        status: 400,
      };
    }
  }
  return undefined;
}
