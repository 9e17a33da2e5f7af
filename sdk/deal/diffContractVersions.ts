/** One field that differs between two versions of a contract's fields. */
export interface ContractFieldChange {
  /** Dotted path of the field: `payment.total`, `payment.instalments.1.amount`, `subject.scope.en`. */
  path: string;
  change: "added" | "removed" | "changed";
  before?: string | number | boolean | null;
  after?: string | number | boolean | null;
}

type Leaf = string | number | boolean | null;

function leaves(value: unknown, path: string, into: Map<string, Leaf>) {
  if (value === undefined) return;
  if (value === null || typeof value !== "object") {
    into.set(path, value as Leaf);
    return;
  }
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  // An empty list or object is a value of its own (a list of terms emptied is a change).
  if (entries.length === 0) into.set(path, Array.isArray(value) ? "[]" : "{}");
  for (const [key, child] of entries) leaves(child, path ? `${path}.${key}` : key, into);
}

/**
 * The fields that differ between two versions of a contract's fields, leaf by leaf, sorted by
 * path: what a new draft version records as "what changed".
 *
 * @example
 * diffContractVersions(v1, v2) // [{ path: "payment.total", change: "changed", before: 100000000, after: 120000000 }]
 */
export function diffContractVersions(before: unknown, after: unknown): ContractFieldChange[] {
  const a = new Map<string, Leaf>();
  const b = new Map<string, Leaf>();
  leaves(before, "", a);
  leaves(after, "", b);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: ContractFieldChange[] = [];
  for (const path of paths) {
    if (!b.has(path)) changes.push({ path, change: "removed", before: a.get(path) });
    else if (!a.has(path)) changes.push({ path, change: "added", after: b.get(path) });
    else if (a.get(path) !== b.get(path))
      changes.push({ path, change: "changed", before: a.get(path), after: b.get(path) });
  }
  return changes;
}
