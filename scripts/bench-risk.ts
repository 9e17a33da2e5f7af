// `npm run bench:risk`: auction bids per second through the gateway with every
// risk rule on against every rule off, in the same run on the same gateway
// (issue 15's figure: on ≥ 0.8 × off). The gateway runs as `npm start` runs it,
// in a process of its own, on a fresh local chain. Each worker bids in its own
// auction in turn for BIDDERS_PER_WORKER accounts, each signed in from its own
// device (so the shill rule has identifiers to look through), at amounts below
// the new-account rule's threshold (what is measured is the rules' evaluation on
// every bid, not the writing of alerts, which only bids that fire pay). Rounds
// alternate off and on; the rules are switched by rewriting
// DATA_DIR/risk-rules.json and POST /v1/risk/rules/reload.
// Options (env): BENCH_SECONDS (default 4), BENCH_ROUNDS (3), BENCH_CONNECTIONS (8), BENCH_BIDDERS_PER_WORKER (4).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { Wallet } from "ethers";
import { createGatewayClient, type GatewayClient } from "../sdk";
import { DEFAULT_RISK_RULES, type RiskRules } from "../gateway/risk/rules";
import { startBenchGateway } from "./lib/benchGateway";
import { account, RECIPIENT } from "./lib/demoAccounts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const BIDDERS_PER_WORKER = Number(process.env.BENCH_BIDDERS_PER_WORKER ?? 4);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Every rule on or off, thresholds as the defaults. */
function rulesWith(enabled: boolean): RiskRules {
  const rules = structuredClone(DEFAULT_RISK_RULES);
  for (const rule of Object.values(rules.rules)) rule.enabled = enabled;
  return rules;
}

async function main(): Promise<void> {
  const gateway = await startBenchGateway("risk");
  const { base, token, dataDir } = gateway;
  try {
    const operator = createGatewayClient({ baseUrl: base, token });
    const setRules = async (enabled: boolean) => {
      await writeFile(path.join(dataDir, "risk-rules.json"), JSON.stringify(rulesWith(enabled)));
      await operator.reloadRiskRules();
    };
    console.error(`making ${CONNECTIONS} auctions and ${CONNECTIONS * BIDDERS_PER_WORKER} bidders…`);
    const anonymous = createGatewayClient({ baseUrl: base });
    const reviewerKey = new Wallet(Wallet.createRandom().privateKey);
    const { user } = await anonymous.register({
      signer: reviewerKey,
      type: "individual",
      names: { zh: "审核员" },
      encryptionRecipient: RECIPIENT,
    });
    await operator.grantRole({ userId: user.id, role: "reviewer" });
    const reviewer = (await anonymous.signIn({ signer: reviewerKey })).client;
    const seller = await account(anonymous, operator, reviewer, "supplier", { zh: "云南某大学", en: "A University" });
    const auctions: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const listing = await seller.client.createListing({
        content: {
          side: "supply",
          language: "zh",
          title: { zh: `储能电池管理技术 ${i + 1}` },
          summary: { zh: `第${i + 1}号：电池组均衡与热管理算法，延长循环寿命，降低运维成本。` },
          field: "energy.storage",
          ipc: ["H01M 10/54"],
          keywords: ["电池管理"],
          trl: 6,
          resultKind: "patent",
          ip: [{ number: `ZL2022${200000 + i}.1`, kind: "invention-patent", status: "granted", owner: "云南某大学" }],
          modes: ["transfer"],
          price: { amount: 10_000_000, currency: "CNY" },
          region: "CN-53",
        },
      });
      await reviewer.reviewListing({ listingId: listing.id, approved: true });
      const auction = await seller.client.request<{ id: string }>("POST", "/v1/auctions", {
        listingId: listing.id,
        currency: "CNY",
        startingPrice: 100,
        reservePrice: 100,
        minIncrement: 1,
        endsAt: new Date(Date.now() + 3 * 3_600_000).toISOString(),
        extensionSeconds: 60,
      });
      auctions.push(auction.id);
    }
    const bidders: GatewayClient[][] = [];
    for (let worker = 0; worker < CONNECTIONS; worker++) {
      const own: GatewayClient[] = [];
      for (let b = 0; b < BIDDERS_PER_WORKER; b++) {
        const bidder = await account(anonymous, operator, reviewer, "demander", {
          zh: `竞买企业${worker}-${b}`,
          en: `Bidder ${worker}-${b}`,
        });
        const session = await anonymous.signIn({ signer: bidder.wallet, deviceId: `bench-device-${worker}-${b}` });
        own.push(session.client);
      }
      bidders.push(own);
    }
    const amounts = new Array<number>(CONNECTIONS).fill(100);
    const load = async (): Promise<number> => {
      const until = Date.now() + SECONDS * 1000;
      let done = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async (_, worker) => {
          for (let i = 0; Date.now() < until; i++) {
            const bidder = bidders[worker][i % BIDDERS_PER_WORKER];
            const response = await fetch(`${base}/v1/auctions/${auctions[worker]}/bids`, {
              method: "POST",
              headers: { authorization: `Bearer ${bidder.token}`, "content-type": "application/json" },
              body: JSON.stringify({ amount: amounts[worker]++ }),
            });
            if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
            await response.arrayBuffer();
            done++;
          }
        }),
      );
      return done / SECONDS;
    };
    console.log(`# bench:risk — ${new Date().toISOString()}, Node ${process.version}`);
    const rows: Record<"off" | "on", number[]> = { off: [], on: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 ? (["on", "off"] as const) : (["off", "on"] as const)) {
        await setRules(side === "on");
        rows[side].push(await load());
      }
      console.error(
        `round ${round + 1}/${ROUNDS}: rules off ${rows.off[round].toFixed(0)} bids/s, on ${rows.on[round].toFixed(0)} bids/s`,
      );
    }
    const raised = (await operator.getRiskFigures()).overall.raised;
    const off = median(rows.off);
    const on = median(rows.on);
    console.log(
      `\n## Auction bids through the gateway, every risk rule on vs off (${CONNECTIONS} workers, one auction each, ${BIDDERS_PER_WORKER} bidders taking turns, ${SECONDS} s × ${ROUNDS} rounds per side, medians)\n`,
    );
    console.log("| rules | bids per second | ratio to rules off |");
    console.log("| --- | ---: | ---: |");
    console.log(`| all off | ${off.toFixed(0)} | 1.000 |`);
    console.log(`| all on | ${on.toFixed(0)} | ${(on / off).toFixed(3)} |`);
    console.log(`\nrounds (off/on): ${rows.off.map((v, i) => `${v.toFixed(0)}/${rows.on[i].toFixed(0)}`).join(", ")}`);
    console.log(`alerts raised during the run: ${raised} (bids below every threshold, no shared identifiers)`);
    console.log(`target on/off ≥ 0.8: ${on / off >= 0.8 ? "met" : "NOT met"}`);
  } finally {
    await gateway.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
