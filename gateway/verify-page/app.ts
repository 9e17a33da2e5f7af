// Runs in the browser: bundled by esbuild and served at /verify/app.js.
import {
  DOSSIER_FORMAT,
  verifyCertificate,
  verifyDossier,
  type DossierVerificationResult,
  type VerificationResult,
} from "../../sdk";

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
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const state: { certificate?: unknown; certificateName?: string; file?: Uint8Array; fileName?: string } = {};
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
  try {
    state.certificate = JSON.parse(await file.text());
    $("certificate-name").textContent = `✓ ${file.name}`;
  } catch {
    state.certificate = "not json";
    $("certificate-name").textContent = `✗ ${file.name}: 不是 JSON · not JSON`;
  }
  $<HTMLButtonElement>("verify-button").disabled = false;
}

async function readOriginal(file: File): Promise<void> {
  state.file = new Uint8Array(await file.arrayBuffer());
  state.fileName = file.name;
  $("file-name").textContent = `✓ ${file.name} (${state.file.length} bytes)`;
}

function render(result: VerificationResult): void {
  const verdict = $("verdict");
  verdict.hidden = false;
  verdict.dataset.valid = String(result.valid);
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
  verdict.innerHTML = result.valid
    ? `<h2 id="verdict-title">✓ 证书有效 <span class="en">Valid certificate</span></h2>
       <p>该记录自上链时间起未被改动。<span class="en">The record existed unchanged at the anchored time.</span></p>`
    : `<h2 id="verdict-title">✗ 证书无效 <span class="en">Invalid certificate</span></h2>
       <p id="reason" data-code="${escape(result.code ?? "")}">${escape(REASONS_ZH[result.code ?? ""] ?? "")}<br>
       <span class="en">${escape(result.reason ?? "")}</span></p>`;
  verdict.innerHTML += `<table>${rows.join("")}</table>`;
}

/** The verdict on a dispute dossier: every record of a deal, in order, with its documents. */
function renderDossier(result: DossierVerificationResult): void {
  const verdict = $("verdict");
  verdict.hidden = false;
  verdict.dataset.valid = String(result.valid);
  verdict.dataset.kind = "dossier";
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
  verdict.innerHTML = result.valid
    ? `<h2 id="verdict-title">✓ 案卷完整有效 <span class="en">Valid dossier</span></h2>
       <p>全部记录按序相连、逐一上链，所附文件与记录相符。<span class="en">Every record is there, in order, anchored, and every document matches its record.</span></p>`
    : `<h2 id="verdict-title">✗ 案卷无效 <span class="en">Invalid dossier</span></h2>
       <p id="reason" data-code="${escape(result.code ?? "")}">${escape(REASONS_ZH[result.code ?? ""] ?? "")}<br>
       <span class="en">${escape(result.reason ?? "")}</span></p>`;
  verdict.innerHTML += `<table>${rows.join("")}</table>`;
}

async function verify(): Promise<void> {
  const button = $<HTMLButtonElement>("verify-button");
  button.disabled = true;
  button.textContent = "验证中… Verifying…";
  try {
    await Promise.allSettled([...reading]);
    const rpcUrl = $<HTMLInputElement>("rpc-url").value.trim();
    const candidate = state.certificate as { format?: unknown } | null | undefined;
    if (candidate && typeof candidate === "object" && candidate.format === DOSSIER_FORMAT) {
      renderDossier(await verifyDossier({ dossier: candidate, rpcUrl }));
    } else {
      render(await verifyCertificate(state.certificate, { rpcUrl, file: state.file }));
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
}

wire();
