// The parties and listings the deal benchmarks (bench:deal, bench:delivery) open
// their deals with: a reviewer, a university and a company, certified through
// the gateway's API, and one recycling demand; each deal then opens from a
// supply listing of the university matched to that demand.
import { Wallet } from "ethers";
import { createGatewayClient, type GatewayClient } from "../../sdk";
import { account, RECIPIENT } from "./demoAccounts";

export interface BenchParties {
  gateway: GatewayClient;
  operator: GatewayClient;
  reviewer: GatewayClient;
  university: Awaited<ReturnType<typeof account>>;
  company: Awaited<ReturnType<typeof account>>;
  /** The company's demand every deal is matched to. */
  demandId: string;
}

/** A reviewer, a certified university (supplier) and company (demander), and the company's reviewed demand. */
export async function benchParties(base: string, token: string): Promise<BenchParties> {
  const gateway = createGatewayClient({ baseUrl: base });
  const operator = createGatewayClient({ baseUrl: base, token });
  const reviewerKey = new Wallet(Wallet.createRandom().privateKey);
  const { user } = await gateway.register({
    signer: reviewerKey,
    type: "individual",
    names: { zh: "审核员" },
    encryptionRecipient: RECIPIENT,
  });
  await operator.grantRole({ userId: user.id, role: "reviewer" });
  const reviewer = (await gateway.signIn({ signer: reviewerKey })).client;
  const university = await account(gateway, operator, reviewer, "supplier", {
    zh: "云南某理工大学",
    en: "A University",
  });
  const company = await account(gateway, operator, reviewer, "demander", { zh: "某新能源公司", en: "A Company" });
  const demand = await company.client.createListing({
    content: {
      side: "demand",
      language: "zh",
      title: { zh: "退役光伏组件回收" },
      summary: { zh: "年处理退役光伏组件两万吨，需经济环保的回收工艺。" },
      problem: { zh: "组件填埋污染环境" },
      targets: ["硅回收率 ≥ 90%"],
      field: "env.recycling",
      ipc: ["B09B 3/00"],
      keywords: ["光伏组件回收"],
      minTrl: 5,
      budget: { min: 50_000_000, max: 200_000_000, currency: "CNY" },
      modes: ["transfer"],
      region: "CN-44",
      deadline: "2027-12-31",
    },
  });
  await reviewer.reviewListing({ listingId: demand.id, approved: true });
  return { gateway, operator, reviewer, university, company, demandId: demand.id };
}

/** Deal number `i`: a reviewed supply listing of the university, matched to the demand and confirmed by both. */
export async function openBenchDeal(parties: BenchParties, i: number): Promise<string> {
  const { university, company, reviewer, demandId } = parties;
  const supply = await university.client.createListing({
    content: {
      side: "supply",
      language: "zh",
      title: { zh: `光伏组件回收工艺 ${i + 1}` },
      summary: { zh: "低温热解与湿法冶金联用，回收玻璃、铝、银和高纯硅。" },
      field: "env.recycling",
      ipc: ["B09B 3/00"],
      keywords: ["光伏组件回收"],
      trl: 6,
      resultKind: "patent",
      ip: [{ number: `ZL2021${100000 + i}.1`, kind: "invention-patent", status: "granted", owner: "云南某理工大学" }],
      modes: ["transfer"],
      price: { amount: 100_000_000, currency: "CNY" },
      region: "CN-53",
    },
  });
  await reviewer.reviewListing({ listingId: supply.id, approved: true });
  const match = await company.client.proposeMatch({ supplyId: supply.id, demandId });
  await company.client.answerMatch({ matchId: match.id, accept: true });
  return (await university.client.answerMatch({ matchId: match.id, accept: true })).deal!.id;
}
