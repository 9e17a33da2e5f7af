import path from "node:path";
import { z } from "zod";
import { ADDRESS_PATTERN, PRIVATE_KEY_PATTERN } from "tech-transfer-ledger/sdk";
import { parseAllowedHosts } from "./escrow/webhookHosts";

const integer = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const schema = z.object({
  DATA_DIR: z.string().default("./data"),
  PORT: integer(8080, 0),
  HOST: z.string().default("127.0.0.1"),
  CHAIN_RPC_URL: z.url().optional(),
  CHAIN_PUBLIC_RPC_URL: z.url().optional(),
  CHAIN_PORT: integer(8545, 1),
  ANCHOR_PRIVATE_KEY: z.string().regex(PRIVATE_KEY_PATTERN, "a 32-byte private key as 0x-prefixed hex").optional(),
  REGISTRY_ADDRESS: z.string().regex(ADDRESS_PATTERN, "an address").optional(),
  ACCOUNTS_ADDRESS: z.string().regex(ADDRESS_PATTERN, "an address").optional(),
  ESCROW_ADDRESS: z.string().regex(ADDRESS_PATTERN, "an address").optional(),
  BANK_ADDRESS: z.string().regex(ADDRESS_PATTERN, "an address").optional(),
  ARBITRATION_BODY_ADDRESS: z.string().regex(ADDRESS_PATTERN, "an address").optional(),
  PUBLIC_URL: z.url().optional(),
  SESSION_TTL_SECONDS: integer(900, 60),
  GAS_PRICE: z.coerce.bigint().default(0n),
  FINALITY_DEPTH: integer(0, 0),
  BATCH_MAX_RECORDS: integer(1024, 1),
  BATCH_MAX_AGE_MS: integer(2000, 10),
  MAX_BODY_BYTES: integer(16 * 1024 * 1024, 1024),
  WEBHOOK_ALLOWED_HOSTS: z.string().optional(),
  COMPLAINT_ANSWER_DAYS: integer(15, 1),
  REMINDER_LEAD_SECONDS: integer(86_400, 60),
  ARCHIVE_RETENTION_YEARS: z.coerce
    .number()
    .int()
    .min(3, "deal archives are kept at least 3 years (the e-commerce law's period for transaction records)")
    .default(3),
  SERVICE_ACCEPT_HOURS: integer(48, 1),
});

/** The platform's settings, all from the environment; docs/DEPLOY.md explains each. */
export interface Config {
  dataDir: string;
  port: number;
  host: string;
  /** External chain endpoint; when absent `npm start` runs a local persistent chain. */
  chainRpcUrl?: string;
  chainPublicRpcUrl?: string;
  chainPort: number;
  anchorPrivateKey?: string;
  registryAddress?: string;
  accountsAddress?: string;
  /** The DealEscrow to adopt (with REGISTRY_ADDRESS and ACCOUNTS_ADDRESS). */
  escrowAddress?: string;
  /**
   * The supervising bank's signing address (the escrow's BANK_ROLE). Without it
   * the first start creates a stand-in bank key in DATA_DIR/bank.key, for the bank
   * client program of scripts/bank-client.ts on the same machine.
   */
  bankAddress?: string;
  /**
   * The arbitration institution's signing address (the escrow's ARBITRATION_ROLE,
   * which replaces an arbitrator who let a ruling period lapse). Without it the
   * first deployment creates a stand-in key in DATA_DIR/arbitration.key.
   */
  arbitrationBodyAddress?: string;
  /** The gateway's address as people reach it; sign-in challenges name its host. */
  publicUrl?: string;
  sessionTtlSeconds: number;
  gasPrice: bigint;
  /**
   * On an external chain (`CHAIN_RPC_URL`): blocks built on the anchoring block
   * before it counts as final; 0 under QBFT's immediate finality. The local chain
   * of `npm start` ignores it: there a block is final once its state is on disk.
   */
  finalityDepth: number;
  batchMaxRecords: number;
  batchMaxAgeMs: number;
  maxBodyBytes: number;
  /** Hosts the bank's webhooks may go to (`host`, `host:port`, `*.domain`); unset, any but loopback and private ones. */
  webhookAllowedHosts?: string[];
  /** Days the operator has to answer a complaint, from its filing or reopening (docs/AFTERCARE.md). */
  complaintAnswerDays: number;
  /** How long before a deadline (an inspection period, a ruling, a delivery date) its reminder goes out; 24 h by default. */
  reminderLeadSeconds: number;
  /** Whole years a deal's archive is kept after the deal is archived before it may be purged; at least 3. */
  archiveRetentionYears: number;
  /** Hours a service institution has to accept or decline an order when the orderer sets no deadline (docs/SERVICES.md). */
  serviceAcceptHours: number;
}

/** Reads and checks the settings; a bad value stops the start with a message naming it. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`setting ${issue.path.join(".")}: ${issue.message}`);
  }
  const e = result.data;
  return {
    dataDir: path.resolve(e.DATA_DIR),
    port: e.PORT,
    host: e.HOST,
    chainRpcUrl: e.CHAIN_RPC_URL,
    chainPublicRpcUrl: e.CHAIN_PUBLIC_RPC_URL,
    chainPort: e.CHAIN_PORT,
    anchorPrivateKey: e.ANCHOR_PRIVATE_KEY,
    registryAddress: e.REGISTRY_ADDRESS,
    accountsAddress: e.ACCOUNTS_ADDRESS,
    escrowAddress: e.ESCROW_ADDRESS,
    bankAddress: e.BANK_ADDRESS,
    arbitrationBodyAddress: e.ARBITRATION_BODY_ADDRESS,
    publicUrl: e.PUBLIC_URL,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    gasPrice: e.GAS_PRICE,
    finalityDepth: e.FINALITY_DEPTH,
    batchMaxRecords: e.BATCH_MAX_RECORDS,
    batchMaxAgeMs: e.BATCH_MAX_AGE_MS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    webhookAllowedHosts: parseAllowedHosts(e.WEBHOOK_ALLOWED_HOSTS),
    complaintAnswerDays: e.COMPLAINT_ANSWER_DAYS,
    reminderLeadSeconds: e.REMINDER_LEAD_SECONDS,
    archiveRetentionYears: e.ARCHIVE_RETENTION_YEARS,
    serviceAcceptHours: e.SERVICE_ACCEPT_HOURS,
  };
}
