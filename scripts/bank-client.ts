// `npm run bank -- <command>`: a stand-in for the supervising bank's own system,
// talking to the gateway over HTTP (signed requests, Idempotency-Key) and to the
// escrow with the bank's key, as a real bank integration would. See docs/BANK-API.md.
//
//   enrol      issue the bank's signing key with the operator credential (first time only)
//   deposit    report a deposit received for a milestone and lock it on the escrow
//   serve      receive webhooks, pull pending instructions, execute and confirm them
//   reconcile  print the daily reconciliation statement (JSON, or --csv)
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { chmod, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Contract, JsonRpcProvider, Wallet } from "ethers";
import {
  createGatewayClient,
  DealEscrow__factory,
  getInstruction,
  getReconciliation,
  listInstructions,
  reportDeposit,
  reportInstructionStatus,
  setWebhook,
  verifyWebhook,
  type BankInstruction as Instruction,
  type EscrowCall,
} from "../sdk";
import { BankGatewayApi, GatewayRefusal, type BankCredentials } from "./bank/gatewayApi";
import { BankLedger } from "./bank/ledger";
import { gatewayUrl } from "./lib/gatewayUrl";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    gateway: { type: "string", default: gatewayUrl() },
    "data-dir": { type: "string", default: process.env.DATA_DIR ?? "./data" },
    rpc: { type: "string", default: process.env.CHAIN_RPC_URL ?? "http://127.0.0.1:8545" },
    deal: { type: "string" },
    milestone: { type: "string", default: "0" },
    amount: { type: "string" },
    currency: { type: "string", default: "CNY" },
    ref: { type: "string" },
    payer: { type: "string" },
    port: { type: "string", default: "8090" },
    "reject-first": { type: "string" },
    date: { type: "string" },
    csv: { type: "boolean", default: false },
    once: { type: "boolean", default: false },
  },
});

const dataDir = path.resolve(values["data-dir"]!);
const credentialsFile = path.join(dataDir, "bank-credentials.json");
const log = (message: string) => console.log(`[bank] ${message}`);

async function credentials(): Promise<BankCredentials> {
  if (process.env.BANK_KEY_ID && process.env.BANK_SECRET) {
    return { keyId: process.env.BANK_KEY_ID, secret: process.env.BANK_SECRET };
  }
  if (!existsSync(credentialsFile)) throw new Error(`no ${credentialsFile}: run \`npm run bank -- enrol\` first`);
  return JSON.parse(await readFile(credentialsFile, "utf8")) as BankCredentials;
}

/** The bank's signing key on the chain: BANK_PRIVATE_KEY, or the stand-in key `npm start` made. */
async function bankWallet(): Promise<Wallet> {
  const key = process.env.BANK_PRIVATE_KEY ?? (await readFile(path.join(dataDir, "bank.key"), "utf8")).trim();
  // No nonce cache: a `deposit` run and the `serve` process may both send with this key.
  const provider = new JsonRpcProvider(values.rpc, undefined, { polling: true, cacheTimeout: -1 });
  return new Wallet(key, provider);
}

/** Makes the escrow call the gateway spelled out, with the bank's own key, and waits for it. */
async function attest(wallet: Wallet, call: EscrowCall): Promise<string> {
  const escrow = new Contract(call.contract, DealEscrow__factory.abi, wallet);
  for (let attempt = 1; ; attempt++) {
    try {
      const nonce = await wallet.getNonce("pending");
      const tx = await escrow.getFunction(call.function)(...call.args, { gasPrice: 0n, type: 0, nonce });
      const receipt = await tx.wait();
      return receipt.hash as string;
    } catch (error) {
      // Another process of the bank took the nonce at the same moment: take the next one.
      if ((error as { code?: string }).code !== "NONCE_EXPIRED" || attempt >= 5) throw error;
    }
  }
}

/** Whether the milestone of a confirmation is final on the escrow already (a duplicate, or a restart after it). */
async function confirmedOnChain(wallet: Wallet, call: EscrowCall): Promise<boolean> {
  const escrow = DealEscrow__factory.connect(call.contract, wallet);
  const milestone = await escrow.milestoneOf(String(call.args[0]), Number(call.args[1]));
  const FIRST_FINAL_STATE = 10n; // Released, Refunded, Split, Cancelled (IDealEscrow.State)
  return milestone.state >= FIRST_FINAL_STATE;
}

async function enrol(): Promise<void> {
  const operator = (await readFile(path.join(dataDir, "operator.key"), "utf8")).trim();
  const issued = await createGatewayClient({ baseUrl: values.gateway!, token: operator }).createServiceKey({
    label: "supervising bank",
    roles: ["bank"],
    kind: "signing",
  });
  await writeFile(credentialsFile, `${JSON.stringify({ keyId: issued.keyId, secret: issued.secret }, null, 2)}\n`, {
    mode: 0o600,
  });
  await chmod(credentialsFile, 0o600);
  log(`signing key ${issued.keyId} issued; kept in ${credentialsFile} (owner-only)`);
}

async function deposit(): Promise<void> {
  if (!values.deal || !values.amount) throw new Error("deposit needs --deal and --amount (minor units)");
  const api = new BankGatewayApi(values.gateway!, await credentials());
  const bankRef = values.ref ?? BankLedger.reference("DEP");
  const report = await reportDeposit(api, {
    dealId: values.deal,
    milestone: Number(values.milestone),
    currency: values.currency!,
    amount: Number(values.amount),
    bankRef,
    ...(values.payer ? { payer: values.payer } : {}),
    idempotencyKey: `deposit-${bankRef}`,
  });
  const wallet = await bankWallet();
  const tx = await attest(wallet, report.attest);
  log(`deposit ${report.deposit.id} (${bankRef}) reported and locked on the escrow in ${tx}`);
  (wallet.provider as JsonRpcProvider).destroy();
  console.log(JSON.stringify({ depositId: report.deposit.id, bankRef, transactionHash: tx }));
}

/**
 * Executes an instruction once: accepted, paid in the bank's books, confirmed on
 * the escrow, reported settled. A payment already made (a duplicate webhook, a
 * restart half-way) is confirmed with its first reference, never paid again.
 */
async function execute(
  api: BankGatewayApi,
  ledger: BankLedger,
  wallet: Wallet,
  instruction: Instruction,
  rejectFirst: { code?: string },
) {
  // The copy handed in may be stale (a webhook and a pull can carry the same instruction): act on the current one.
  ({ instruction } = await getInstruction(api, { instructionId: instruction.id }));
  if (instruction.chainStatus !== "issued") return;
  const instructionId = instruction.id;
  if (instruction.kind === "freeze") {
    if (instruction.bankStatus === "pending") {
      await reportInstructionStatus(api, {
        instructionId,
        status: "accepted",
        idempotencyKey: `accept-${instructionId}`,
      });
      log(`${instruction.id}: the money of milestone ${instruction.milestone} stays frozen during the dispute`);
    }
    return;
  }
  // Rejected: the money stays locked until the operator reissues it (as a new instruction).
  if (instruction.bankStatus === "rejected") return;
  if (instruction.bankStatus === "pending") {
    await reportInstructionStatus(api, {
      instructionId,
      status: "accepted",
      idempotencyKey: `accept-${instructionId}`,
    });
  }
  if (rejectFirst.code) {
    const code = rejectFirst.code;
    rejectFirst.code = undefined;
    const answer = await reportInstructionStatus(api, {
      instructionId,
      status: "rejected",
      reason: code,
      idempotencyKey: `reject-${instructionId}`,
    });
    if (answer.attest) await attest(wallet, answer.attest);
    log(`${instruction.id}: rejected (${code}); the money stays locked until the instruction is reissued`);
    return;
  }
  let payment = ledger.books.payments[instruction.id];
  if (!payment) {
    payment = {
      bankRef: BankLedger.reference(instruction.kind.toUpperCase().slice(0, 3)),
      release: instruction.release,
      refund: instruction.refund,
      currency: instruction.currency,
      at: new Date().toISOString(),
    };
    ledger.books.payments[instruction.id] = payment;
    await ledger.save();
    log(
      `${instruction.id}: paid ${payment.release} ${payment.currency} to the supplier and returned ${payment.refund} to the demander (${payment.bankRef})`,
    );
  }
  const answer = await reportInstructionStatus(api, {
    instructionId,
    status: "settled",
    bankRef: payment.bankRef,
    idempotencyKey: `settle-${instructionId}`,
  });
  if (answer.attest && !(await confirmedOnChain(wallet, answer.attest))) await attest(wallet, answer.attest);
}

async function serve(): Promise<void> {
  const api = new BankGatewayApi(values.gateway!, await credentials());
  const ledger = await BankLedger.open(path.join(dataDir, "bank-client"));
  const wallet = await bankWallet();
  const rejectFirst = { code: values["reject-first"] };
  let secret = "";
  let secretKnown: () => void = () => undefined;
  const secretReady = new Promise<void>((resolve) => (secretKnown = resolve));
  let queue = Promise.resolve();
  const handle = (instruction: Instruction) => {
    queue = queue
      .then(() => execute(api, ledger, wallet, instruction, rejectFirst))
      .catch((error) =>
        log(
          `${instruction.id}: ${error instanceof GatewayRefusal ? error.message : String(error)}; will retry on the next pull`,
        ),
      );
    return queue;
  };
  /** One webhook: checked, deduplicated, booked, then acted on. */
  const receive = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    await secretReady; // a webhook may arrive before the gateway's answer naming the secret
    let message;
    try {
      message = verifyWebhook(secret, (name) => request.headers[name], body);
    } catch (error) {
      log(`refused a webhook: ${(error as Error).message}`);
      response.writeHead(401).end();
      return;
    }
    response.writeHead(204).end();
    if (ledger.books.webhooks.includes(message.id)) return; // a duplicate delivery
    ledger.books.webhooks.push(message.id);
    const instruction = message.data.instruction as Instruction | undefined;
    if (instruction) {
      // Out of order: an older version of an instruction arriving after a newer one is dropped.
      if ((ledger.books.versions[instruction.id] ?? 0) >= instruction.version) return;
      ledger.books.versions[instruction.id] = instruction.version;
    }
    await ledger.save();
    log(`webhook ${message.sequence} ${message.type}${instruction ? ` ${instruction.id}` : ""}`);
    const excess = Number(message.data.excess ?? 0);
    if (message.type === "deposit.locked" && excess > 0) {
      // Only the milestone's amount is locked: what the payer sent above it goes back.
      log(
        `deposit ${String(message.data.bankRef)}: ${excess} ${String(message.data.currency)} above the amount returned to the payer`,
      );
    }
    if (instruction) void handle(instruction);
  };
  const server = createServer((request, response) => {
    receive(request, response).catch((error) => {
      // A failure here (the books could not be saved) must not stop the bank's system; the pull catches up.
      log(`webhook not handled: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(Number(values.port), "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : Number(values.port);
  try {
    const endpoint = await setWebhook(api, { url: `http://127.0.0.1:${port}/webhooks` });
    secret = endpoint.secret;
    secretKnown();
    log(`listening for webhooks on http://127.0.0.1:${port}/webhooks; pulling pending instructions every 2 s`);
  } catch (error) {
    // The gateway sends webhooks to loopback only where its operator allows it (WEBHOOK_ALLOWED_HOSTS).
    if (!(error instanceof GatewayRefusal) || error.code !== "WEBHOOK_HOST_NOT_ALLOWED") throw error;
    log(
      `the gateway does not send webhooks to 127.0.0.1 (start it with WEBHOOK_ALLOWED_HOSTS=127.0.0.1 for them); ` +
        `pulling pending instructions every 2 s instead`,
    );
  }
  // Pull as well as push: what a webhook missed (the bank was down, a delivery was lost) is in the pull list.
  const pull = async () => {
    try {
      const { instructions } = await listInstructions(api);
      for (const instruction of instructions) await handle(instruction);
    } catch (error) {
      log(`pull failed: ${(error as Error).message}`);
    }
  };
  await pull();
  const timer = setInterval(pull, 2000);
  const stop = () => {
    clearInterval(timer);
    server.close();
    (wallet.provider as JsonRpcProvider).destroy();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  console.log(JSON.stringify({ listening: port }));
}

async function reconcile(): Promise<void> {
  const api = new BankGatewayApi(values.gateway!, await credentials());
  const date = values.date ?? new Date().toISOString().slice(0, 10);
  if (values.csv) {
    // CSV is text, not an SDK action's JSON: asked for directly.
    process.stdout.write(await api.request<string>("GET", `/v1/bank/reconciliation?date=${date}&format=csv`));
    return;
  }
  const statement = await getReconciliation(api, { date });
  console.log(JSON.stringify(statement, null, 2));
}

const commands: Record<string, () => Promise<void>> = { enrol, deposit, serve, reconcile };
const command = commands[positionals[0] ?? ""];
if (!command) {
  console.error(
    "usage: npm run bank -- enrol | deposit --deal ID --milestone N --amount MINOR [--currency CNY] [--ref REF] | serve [--port 8090] [--reject-first AC04] | reconcile [--date YYYY-MM-DD] [--csv]",
  );
  process.exit(2);
}
command().catch((error) => {
  console.error(`[bank] ${error instanceof GatewayRefusal ? error.message : (error as Error).message}`);
  process.exit(1);
});
