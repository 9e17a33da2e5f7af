import "ts-node/register/transpile-only";

/** Compiles the contracts (and regenerates TypeChain bindings) once for the whole run. */
export default async function setup(): Promise<void> {
  process.env.HARDHAT_DISABLE_TELEMETRY_PROMPT = "true";
  const hre = await import("hardhat");
  await hre.default.run("compile", { quiet: true });
}
