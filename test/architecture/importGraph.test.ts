import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const GATEWAY = path.join(ROOT, "gateway");

/** Every TypeScript file under `dir`, as paths relative to the repository. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** The gateway files `file` imports (type-only imports included: they tie the modules as much). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
  return targets
    .map((target) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), target)))
    .map((resolved) => (resolved.endsWith(".ts") ? resolved : `${resolved}.ts`))
    .filter((resolved) => resolved.startsWith("gateway/"));
}

const files = sources(GATEWAY);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const folderOf = (file: string) => file.split("/")[1];

describe("the gateway's import graph", () => {
  it("keeps store/ generic: it imports no domain", () => {
    // util/ holds domain-free helpers (a Bloom filter, keyed locks, scoped storage).
    const allowed = new Set(["store", "util", "errors.ts"]);
    const offending = files
      .filter((file) => folderOf(file) === "store")
      .flatMap((file) =>
        graph
          .get(file)!
          .filter((to) => !allowed.has(folderOf(to)))
          .map((to) => `${file} → ${to}`),
      );
    expect(offending).toEqual([]);
  });

  it("lets no route reach into the store: routes call services", () => {
    const offending = files
      .filter((file) => folderOf(file) === "routes")
      .flatMap((file) =>
        graph
          .get(file)!
          .filter((to) => folderOf(to) === "store")
          .map((to) => `${file} → ${to}`),
      );
    expect(offending).toEqual([]);
  });

  it("lets a domain read another's tables only through its service: no repository imported across domains", () => {
    const offending = files.flatMap((file) =>
      graph
        .get(file)!
        .filter((to) => to.endsWith("/repository.ts") && folderOf(to) !== folderOf(file))
        // Wiring the platform together is where every domain meets.
        .filter(() => file !== "gateway/platform.ts")
        .map((to) => `${file} → ${to}`),
    );
    expect(offending).toEqual([]);
  });

  it("has no cycles", () => {
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...stack.slice(stack.indexOf(file)), file].join(" → "));
        return;
      }
      state.set(file, "visiting");
      stack.push(file);
      for (const to of graph.get(file) ?? []) visit(to);
      stack.pop();
      state.set(file, "done");
    };
    for (const file of files) visit(file);
    expect(cycles).toEqual([]);
  });
});
