// `npm run demo:market`, with `npm start` running: clauses 6.3–6.4 and the
// trading modes end to end. A Yunnan university publishes a Chinese supply, a
// Thai company an English demand; a reviewer approves both; the demand is matched
// with reasons; both sides confirm into a deal; then the university runs an
// auction and a sealed bidding on the same technology to a verifiable outcome.
// Settings: GATEWAY_URL (default http://127.0.0.1:$PORT, PORT default 8080; scripts/lib/gatewayUrl.ts), DATA_DIR (for operator.key).
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Wallet } from "ethers";
import { createGatewayClient, sealedBidCommitment, sealedBiddingOutcome, verifyCertificate } from "../sdk";
import { account, RECIPIENT } from "./lib/demoAccounts";
import { gatewayUrl } from "./lib/gatewayUrl";

const baseUrl = gatewayUrl();
const step = (text: string) => console.log(`\n▶ ${text}`);
const ok = (text: string) => console.log(`  ✓ ${text}`);
const sleepUntil = (iso: string) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(iso) - Date.now() + 300)));
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

async function main(): Promise<void> {
  const operatorToken = (
    await readFile(path.join(path.resolve(process.env.DATA_DIR ?? "./data"), "operator.key"), "utf8")
  ).trim();
  const gateway = createGatewayClient({ baseUrl });
  const operator = gateway.withToken(operatorToken);

  step("Accounts: a reviewer, a Yunnan university (supplier), a Thai company and two bidders (demanders)");
  const reviewerKey = new Wallet(Wallet.createRandom().privateKey);
  const reviewerAccount = await gateway.register({
    signer: reviewerKey,
    type: "individual",
    names: { zh: "审核员" },
    encryptionRecipient: RECIPIENT,
  });
  await operator.grantRole({ userId: reviewerAccount.user.id, role: "reviewer" });
  const reviewer = (await gateway.signIn({ signer: reviewerKey })).client;
  const university = await account(gateway, operator, reviewer, "supplier", {
    zh: "云南某理工大学",
    en: "A Yunnan University of Science and Technology",
  });
  const thai = await account(gateway, operator, reviewer, "demander", { en: "Siam Solar Recycling Co., Ltd." }, true);
  const bidders = [
    await account(gateway, operator, reviewer, "demander", {
      zh: "昆明新能源材料有限公司",
      en: "Kunming New Energy Materials",
    }),
    await account(gateway, operator, reviewer, "demander", { zh: "玉溪光伏科技有限公司", en: "Yuxi PV Technology" }),
  ];
  ok("certified and signed in with their own keys");

  step("Publishing (6.3): a Chinese supply and an English demand, reviewed and approved");
  const supply = await university.client.createListing({
    content: {
      side: "supply",
      language: "zh",
      title: {
        zh: "晶硅光伏组件绿色回收与高纯硅再生技术",
        en: "Green recycling of crystalline-silicon PV modules with silicon recovery",
      },
      translated: ["en"],
      summary: { zh: "低温热解与湿法冶金联用，分离回收退役光伏组件中的玻璃、铝、银和高纯硅，硅回收率大于95%。" },
      field: "env.recycling",
      ipc: ["B09B 3/00", "H01L 31/18"],
      keywords: ["光伏组件回收", "高纯硅", "PV recycling", "silicon recovery"],
      trl: 6,
      resultKind: "patent",
      ip: [{ number: "ZL202110000000.0", kind: "invention-patent", status: "granted", owner: "云南某理工大学" }],
      modes: ["transfer", "exclusive-licence"],
      price: { amount: 120_000_000, currency: "CNY" },
      region: "CN-53",
      details: { process: "热解 480 °C，45 分钟" },
    },
  });
  const demand = await thai.client.createListing({
    content: {
      side: "demand",
      language: "en",
      title: { en: "Recycle end-of-life solar panels and recover silicon" },
      summary: { en: "We collect 20,000 t/year of retired crystalline solar panels." },
      problem: { en: "Panels go to landfill; we need economic recycling with silicon recovery." },
      targets: ["silicon recovery ≥ 90%", "capacity ≥ 5,000 t/year"],
      field: "env.recycling",
      ipc: ["B09B 3/00"],
      keywords: ["solar panel recycling", "PV recycling", "silicon recovery"],
      minTrl: 5,
      budget: { min: 80_000_000, max: 150_000_000, currency: "CNY" },
      modes: ["exclusive-licence", "joint-development"],
      region: "TH",
      deadline: "2027-06-30",
    },
  });
  for (const id of [supply.id, demand.id]) await reviewer.reviewListing({ listingId: id, approved: true });
  ok(`supply ${supply.id} (zh) and demand ${demand.id} (en) are public`);

  step("Matching (6.4.1): the English demand finds the Chinese supply, with reasons");
  const { matches } = await thai.client.findMatches({ listingId: demand.id });
  const found = matches.find((m) => m.id === supply.id)!;
  ok(`rank ${matches.indexOf(found) + 1}, score ${found.score}`);
  for (const reason of found.reasons) console.log(`      ${reason.factor.padEnd(6)} ${reason.detail}`);

  step("Confirming (6.4.2): the demand's owner proposes, both sides confirm, a deal opens");
  const match = await thai.client.proposeMatch({ supplyId: supply.id, demandId: demand.id });
  await thai.client.answerMatch({ matchId: match.id, accept: true });
  const confirmed = await university.client.answerMatch({ matchId: match.id, accept: true });
  ok(`deal ${confirmed.deal!.id} opened`);
  const inbox = await university.client.getInbox();
  ok(`the university's inbox: ${inbox.notifications.length} notification(s), e.g. "${inbox.notifications[0]?.text}"`);

  step("Auction (拍卖): reserve, increment, and a late bid that extends the end");
  const auction = await university.client.openAuction({
    listingId: supply.id,
    currency: "CNY",
    startingPrice: 100_000_000,
    reservePrice: 110_000_000,
    minIncrement: 5_000_000,
    endsAt: inSeconds(6),
    extensionSeconds: 4,
  });
  await bidders[0].client.placeBid({ auctionId: auction.id, amount: 100_000_000 });
  try {
    await bidders[1].client.placeBid({ auctionId: auction.id, amount: 101_000_000 });
  } catch (error) {
    ok(`a bid under the increment is refused: ${(error as Error).message.split("\n")[0]}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const late = await bidders[1].client.placeBid({ auctionId: auction.id, amount: 115_000_000 });
  ok(`a bid in the last seconds moved the end from ${auction.endsAt} to ${late.endsAt}`);
  await sleepUntil(late.endsAt);
  const { outcome: auctionOutcome } = await university.client.closeAuction({ auctionId: auction.id });
  ok(`won at ${auctionOutcome!.amount! / 100} CNY; deal ${auctionOutcome!.dealId}`);

  step("Sealed bidding (竞价): commitments before the deadline, reveals after, an outcome anyone recomputes");
  const bidding = await university.client.openSealedBidding({
    listingId: supply.id,
    currency: "CNY",
    reservePrice: 100_000_000,
    commitDeadline: inSeconds(5),
    revealDeadline: inSeconds(10),
  });
  const amounts = [118_000_000, 126_000_000];
  const salts = amounts.map(() => `0x${randomBytes(32).toString("hex")}`);
  for (const [i, bidder] of bidders.entries()) {
    const commitment = sealedBidCommitment({
      bidding: bidding.id,
      bidder: bidder.user.id,
      amount: amounts[i],
      currency: "CNY",
      salt: salts[i],
    });
    await bidder.client.commitSealedBid({ biddingId: bidding.id, commitment });
  }
  ok("two sealed bids committed; the gateway holds only their digests");
  await sleepUntil(bidding.commitDeadline);
  for (const [i, bidder] of bidders.entries()) {
    await bidder.client.revealSealedBid({ biddingId: bidding.id, amount: amounts[i], salt: salts[i] });
  }
  await sleepUntil(bidding.revealDeadline);
  await university.client.closeSealedBidding({ biddingId: bidding.id });
  const published = await gateway.getSealedBidding({ biddingId: bidding.id });
  const recomputed = sealedBiddingOutcome(published);
  const outcome = published.outcome!;
  ok(
    `published winner ${outcome.winnerId} at ${outcome.amount! / 100} CNY; recomputed: ${recomputed.winnerId} at ${recomputed.amount! / 100} CNY — ${recomputed.winnerId === outcome.winnerId ? "the same" : "DIFFERENT"}`,
  );
  const record = await operator.waitForAnchor({ id: published.commitments[1].recordId });
  const certificate = await operator.getCertificate({ id: record.id });
  const verdict = await verifyCertificate(certificate, {
    rpcUrl: (await gateway.getChainInfo()).rpcUrl,
    // The operator's own demo trusts its own gateway's anchor; a party builds its own (docs/CERTIFICATE.md).
    trust: await gateway.getTrustAnchor(),
  });
  ok(
    `the winning commitment's certificate is ${verdict.valid ? `valid, anchored at ${verdict.anchoredAt}` : `INVALID (${verdict.code})`}`,
  );
  console.log("\nDone.");
}

main().catch((error) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
