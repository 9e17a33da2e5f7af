// Runs in the browser: bundled by esbuild and served at /verify/app.js.
import {
  ARCHIVE_FORMAT,
  DOSSIER_FORMAT,
  trustAnchorOf,
  verifyArchive,
  verifyCertificate,
  verifyDossier,
  type ArchiveVerificationResult,
  type DossierVerificationResult,
  type TrustAnchor,
  type VerificationResult,
} from "tech-transfer-ledger/sdk";

/** Chinese for each reason a certificate can fail; the English comes from the SDK. */
const REASONS_ZH: Record<string, string> = {
  CERTIFICATE_MALFORMED: "这不是一份格式正确的存证证书",
  FIELD_MISMATCH: "披露的字段值与其承诺值不符（内容被改动）",
  RECORD_MISMATCH: "记录头或字段承诺与记录承诺值不符（内容被改动）",
  PROOF_MISMATCH: "默克尔证明无法推导出证书所载的根",
  FILE_NOT_DISCLOSED: "证书未披露记录所附文件的摘要，无法核对文件",
  FILE_MISMATCH: "所给文件的 SHA-256 摘要不在记录所附文件之中（文件被改动或不是原件）",
  CHAIN_MISMATCH: "所连节点不是证书所载的区块链",
  REGISTRY_MISSING: "该链上没有证书所载的存证合约",
  REGISTRY_UNSUPPORTED: "该地址上的合约版本无法识别",
  ROOT_NOT_ANCHORED: "该批次根从未在存证合约中上链",
  ANCHOR_MISMATCH: "上链区块或时间与证书所载不符",
  PROOF_REJECTED: "存证合约不接受该证明",
  BLOCK_MISMATCH: "证书所载区块哈希与链上不符",
  TRANSACTION_MISMATCH: "证书所载交易并未锚定该根",
  CHAIN_UNAVAILABLE: "无法连接区块链节点",
  MALFORMED: "这不是一份格式正确的争议案卷",
  CERTIFICATE_INVALID: "案卷中有一份证书无效",
  WRONG_SUBJECT: "案卷中有一份证书不属于该交易",
  INCOMPLETE: "案卷不完整：记录序号有缺失或顺序不对",
  CHAIN_BROKEN: "记录的哈希链断开：有记录被替换",
  DOCUMENT_MISMATCH: "案卷所附文件与其记录的摘要不符",
  REGISTRY_NOT_TRUSTED: "证书所载的存证合约不是您信任的合约（可能是仿冒合约）",
  ANCHORER_NOT_AUTHORISED: "锚定该批次的账户当时没有锚定权限",
  EMPTY: "案卷中没有任何记录",
  FIELD_WITHHELD: "案卷中有记录隐藏了字段；案卷须披露全部字段",
  DOCUMENT_MISSING: "记录所附的文件不在案卷中",
  SUMMARY_MISMATCH: "案卷中的争议摘要与记录不符",
  RECORD_MISSING: "回执证明存在的记录不在案卷中（案卷被截短）",
  RECEIPT_MISMATCH: "回执与案卷中同一序号的记录不符",
  ESCROW_EVENT_MISMATCH: "记录所引的托管合约事件与链上不符",
  NOT_ARCHIVED: "档案的最后一条记录不是交易的归档操作（档案不完整）",
};

/** The page's headline per verdict, Chinese and English. */
const TITLES = {
  certificate: {
    VALID: ["✓ 证书有效", "Valid certificate"],
    INVALID: ["✗ 证书无效", "Invalid certificate"],
    UNVERIFIED: ["? 未能核验", "Unverified"],
  },
  dossier: {
    VALID: ["✓ 案卷完整有效", "Valid dossier"],
    INVALID: ["✗ 案卷无效", "Invalid dossier"],
    UNVERIFIED: ["? 未能核验", "Unverified"],
  },
  archive: {
    VALID: ["✓ 交易档案完整有效", "Valid deal archive"],
    INVALID: ["✗ 交易档案无效", "Invalid deal archive"],
    UNVERIFIED: ["? 未能核验", "Unverified"],
  },
} as const;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const state: { certificate?: string; certificateName?: string; file?: Uint8Array; fileName?: string } = {};
/** Files still being read; verifying waits for them, so a slow read is never verified without its file. */
const reading = new Set<Promise<void>>();

function track(read: Promise<void>): void {
  reading.add(read);
  void read.finally(() => reading.delete(read));
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readCertificate(file: File): Promise<void> {
  state.certificateName = file.name;
  // The text itself goes to the verifier, which refuses duplicate member names.
  state.certificate = await file.text();
  try {
    JSON.parse(state.certificate);
    $("certificate-name").textContent = `✓ ${file.name}`;
  } catch {
    $("certificate-name").textContent = `✗ ${file.name}: 不是 JSON · not JSON`;
  }
  $<HTMLButtonElement>("verify-button").disabled = false;
}

async function readOriginal(file: File): Promise<void> {
  state.file = new Uint8Array(await file.arrayBuffer());
  state.fileName = file.name;
  $("file-name").textContent = `✓ ${file.name} (${state.file.length} bytes)`;
}

/** The verdict's head: what was concluded, why, and against which registry. */
function head(
  kind: "certificate" | "dossier" | "archive",
  result: VerificationResult | DossierVerificationResult | ArchiveVerificationResult,
  trust: TrustAnchor,
): string {
  const [zh, en] = TITLES[kind][result.verdict];
  const registry = trust.registries.map((r) => r.address).join(", ");
  const against = `<p id="checked-against">核验所依据的存证合约 ${escape(registry)}，链 ${escape(trust.chainId)}。<br><span class="en">Checked against registry ${escape(registry)} on chain ${escape(trust.chainId)}.</span></p>`;
  if (result.verdict === "VALID") {
    const body =
      kind === "certificate"
        ? `该记录自上链时间起未被改动。<span class="en">The record existed unchanged at the anchored time.</span>`
        : `全部记录按序相连、逐一上链，所附文件与记录相符。<span class="en">Every record is there, in order, anchored, and every document matches its record.</span>`;
    return `<h2 id="verdict-title">${zh} <span class="en">${en}</span></h2><p>${body}</p>${against}`;
  }
  return `<h2 id="verdict-title">${zh} <span class="en">${en}</span></h2>
    <p id="reason" data-code="${escape(result.code ?? "")}">${escape(REASONS_ZH[result.code ?? ""] ?? "")}<br>
    <span class="en">${escape(result.code ?? "")}: ${escape(result.reason ?? "")}</span></p>${against}`;
}

function render(result: VerificationResult, trust: TrustAnchor): void {
  const verdict = $("verdict");
  verdict.hidden = false;
  verdict.dataset.valid = result.verdict === "VALID" ? "true" : result.verdict === "INVALID" ? "false" : "unverified";
  verdict.dataset.verdict = result.verdict;
  const rows: string[] = [];
  if (result.record) {
    rows.push(`<tr><th>记录 Record</th><td>${escape(result.record.id)}</td></tr>`);
    rows.push(`<tr><th>类型 Kind</th><td>${escape(result.record.kind)}</td></tr>`);
    rows.push(`<tr><th>主体 Subject</th><td>${escape(result.record.subject)} #${result.record.seq}</td></tr>`);
  }
  if (result.anchoredAt) {
    const local = new Date(result.anchoredAt).toLocaleString("zh-CN", { hour12: false });
    rows.push(
      `<tr><th>上链时间 Anchored at</th><td id="anchored-at" data-iso="${result.anchoredAt}">${escape(local)} (${result.anchoredAt})</td></tr>`,
    );
  }
  for (const check of result.checks) {
    rows.push(`<tr><td>${check.ok ? "✓" : "✗"} ${escape(check.name)}</td><td>${escape(check.detail ?? "")}</td></tr>`);
  }
  verdict.innerHTML = `${head("certificate", result, trust)}<table>${rows.join("")}</table>`;
}

/** The verdict on a dispute dossier or a deal archive: every record of a deal, in order, with its documents. */
function renderDossier(
  result: DossierVerificationResult | ArchiveVerificationResult,
  trust: TrustAnchor,
  kind: "dossier" | "archive" = "dossier",
): void {
  const verdict = $("verdict");
  verdict.hidden = false;
  verdict.dataset.valid = result.verdict === "VALID" ? "true" : result.verdict === "INVALID" ? "false" : "unverified";
  verdict.dataset.verdict = result.verdict;
  verdict.dataset.kind = kind;
  const rows = [
    `<tr><th>交易 Subject</th><td>${escape(result.subject ?? "")}</td></tr>`,
    `<tr><th>记录 Records</th><td id="dossier-records">${result.records}</td></tr>`,
    `<tr><th>文件 Documents</th><td>${result.documents}</td></tr>`,
    ...result.anchors.map(
      (anchor) =>
        `<tr><th>上链 Anchor</th><td>${escape(new Date(anchor.blockTime * 1000).toISOString())} · block ${anchor.blockNumber}</td></tr>`,
    ),
    ...result.checks.map(
      (check) =>
        `<tr><td>${check.ok ? "✓" : "✗"} ${escape(check.name)}</td><td>${escape(check.detail ?? "")}</td></tr>`,
    ),
  ];
  if ("summary" in result && result.summary) {
    rows.splice(
      3,
      0,
      ...result.summary.steps.map(
        (step) =>
          `<tr><th>阶段 Step</th><td>${escape(step.state)} · ${escape(step.enteredAt)}${step.seconds === undefined ? "" : ` · ${(step.seconds / 86400).toFixed(1)} d`}</td></tr>`,
      ),
    );
  }
  verdict.innerHTML = `${head(kind, result, trust)}<table>${rows.join("")}</table>`;
}

/** What the reader trusts, from the fields they see (prefilled from this gateway, editable); undefined with a message when incomplete. */
function trustFromInputs(): TrustAnchor | undefined {
  const registry = $<HTMLInputElement>("registry").value.trim();
  const chainId = $<HTMLInputElement>("chain-id").value.trim();
  try {
    return trustAnchorOf({ registry, chainId });
  } catch {
    const verdict = $("verdict");
    verdict.hidden = false;
    delete verdict.dataset.valid;
    verdict.dataset.verdict = "";
    verdict.innerHTML = `<h2 id="verdict-title">请填写您信任的存证合约和链 ID <span class="en">Name the registry and chain id you trust</span></h2>
      <p id="reason" data-code="TRUST_ANCHOR_REQUIRED">证书自己写明的合约不能作为依据。<br><span class="en">A certificate is checked only against a registry address and chain id you chose, never the ones it names.</span></p>`;
    return undefined;
  }
}

async function verify(): Promise<void> {
  const button = $<HTMLButtonElement>("verify-button");
  button.disabled = true;
  button.textContent = "验证中… Verifying…";
  try {
    await Promise.allSettled([...reading]);
    const rpcUrl = $<HTMLInputElement>("rpc-url").value.trim();
    const trust = trustFromInputs();
    if (!trust) return;
    let format: unknown;
    try {
      format = (JSON.parse(state.certificate ?? "") as { format?: unknown } | null)?.format;
    } catch {
      format = undefined;
    }
    if (format === DOSSIER_FORMAT) {
      renderDossier(await verifyDossier({ dossier: state.certificate, rpcUrl, trust }), trust);
    } else if (format === ARCHIVE_FORMAT) {
      renderDossier(await verifyArchive({ archive: state.certificate, rpcUrl, trust }), trust, "archive");
    } else {
      render(await verifyCertificate(state.certificate, { rpcUrl, trust, file: state.file }), trust);
    }
  } finally {
    button.disabled = false;
    button.textContent = "验证 · Verify";
  }
}

function wire(): void {
  $<HTMLInputElement>("certificate-input").addEventListener("change", (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) track(readCertificate(file));
  });
  $<HTMLInputElement>("file-input").addEventListener("change", (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) track(readOriginal(file));
  });
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    for (const file of Array.from(e.dataTransfer?.files ?? [])) {
      if (file.name.endsWith(".json") && state.certificate === undefined) track(readCertificate(file));
      else track(readOriginal(file));
    }
  });
  $("verify-button").addEventListener("click", () => void verify());
  fetch("/v1/chain")
    .then((response) => response.json())
    .then((chain: { rpcUrl?: string }) => {
      const input = $<HTMLInputElement>("rpc-url");
      if (!input.value && chain.rpcUrl) input.value = chain.rpcUrl;
    })
    .catch(() => {});
  // Prefilled from this gateway and shown plainly: a reader who does not trust it types their own.
  fetch("/v1/chain/trust")
    .then((response) => response.json())
    .then((trust: { chainId?: string; registries?: Array<{ address: string }> }) => {
      const registry = $<HTMLInputElement>("registry");
      const chainId = $<HTMLInputElement>("chain-id");
      if (!registry.value && trust.registries?.length)
        registry.value = trust.registries[trust.registries.length - 1].address;
      if (!chainId.value && trust.chainId) chainId.value = trust.chainId;
    })
    .catch(() => {});
}

wire();
