// Hardhat's CLI registers ts-node for hardhat.config.ts; imported from vitest it does not.
import "ts-node/register/transpile-only";

process.env.HARDHAT_DISABLE_TELEMETRY_PROMPT = "true";
