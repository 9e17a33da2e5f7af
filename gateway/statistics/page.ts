import type { StatisticsAmountView, StatisticsGroupView, StatisticsView } from "tech-transfer-ledger/sdk";

const escape = (text: unknown) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What each section is, for a person reading the page. */
const SECTION_TITLES: Record<string, string> = {
  listings: "Listings of supply (技术供给)",
  demands: "Demands (技术需求)",
  matches: "Matches (撮合)",
  deals: "Deals and their amounts (交易)",
  serviceOrders: "Service orders (服务委托)",
};

/** The IPC sections, so that a key `H` reads as what it is. */
const IPC_SECTIONS: Record<string, string> = {
  A: "A Human necessities",
  B: "B Operations; transporting",
  C: "C Chemistry; metallurgy",
  D: "D Textiles; paper",
  E: "E Fixed constructions",
  F: "F Mechanical engineering",
  G: "G Physics",
  H: "H Electricity",
};

const STEP_TITLES: Record<string, string> = {
  matchToContract: "match → contract",
  contractToFirstDelivery: "contract → first delivery",
  inspection: "inspection",
  followUpResponse: "follow-up response",
};

/** An amount in minor units in major units of its currency (fen as yuan), exactly: no floating point. */
export function formatAmount({ currency, sum }: Pick<StatisticsAmountView, "currency" | "sum">): string {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown code keeps two decimals.
  }
  const text = BigInt(sum)
    .toString()
    .padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${digits ? `${whole}.${text.slice(-digits)}` : whole} ${currency}`;
}

/** A duration in seconds as a person reads it: `1 d 2 h`, `45 min`, `30 s`. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.round((seconds % 86400) / 3600)} h`;
}

/**
 * A horizontal bar chart as plain SVG: one bar per row, its length the value's
 * share of the largest, the label on the left and the figure on the right. No
 * script, no library: the server draws it, the browser only shows it.
 */
export function barChart(title: string, rows: ReadonlyArray<{ label: string; value: number; text: string }>): string {
  const labelWidth = 190;
  const barWidth = 300;
  const rowHeight = 22;
  const width = labelWidth + barWidth + 150;
  const height = Math.max(rows.length, 1) * rowHeight + 8;
  const largest = Math.max(...rows.map((row) => row.value), 0);
  const bars = rows
    .map((row, i) => {
      const y = 4 + i * rowHeight;
      const length = largest > 0 ? Math.max((row.value / largest) * barWidth, row.value > 0 ? 1 : 0) : 0;
      return (
        `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escape(row.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 3}" width="${length.toFixed(1)}" height="${rowHeight - 6}" fill="#0969da"/>` +
        `<text x="${labelWidth + length + 6}" y="${y + 15}">${escape(row.text)}</text>`
      );
    })
    .join("");
  const empty = rows.length === 0 ? `<text x="${labelWidth}" y="19" fill="#57606a">none in this period</text>` : "";
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="system-ui,sans-serif" font-size="12">` +
    `<title>${escape(title)}</title>${bars}${empty}</svg>`
  );
}

function keyLabel(dimension: string, key: string): string {
  if (dimension === "ipcSection") return IPC_SECTIONS[key] ?? key;
  return key;
}

function amountsText(amounts: readonly StatisticsAmountView[] | undefined): string {
  return (amounts ?? []).map((a) => `${formatAmount(a)} (${a.count})`).join("; ");
}

function groupsTable(dimension: string, groups: readonly StatisticsGroupView[], withAmounts: boolean): string {
  const rows = groups
    .map(
      (group) =>
        `<tr><td>${escape(keyLabel(dimension, group.key))}</td><td class="n">${group.count}</td>` +
        (withAmounts ? `<td>${escape(amountsText(group.amounts))}</td>` : "") +
        "</tr>",
    )
    .join("");
  return `<table><tr><th>${escape(dimension)}</th><th>count</th>${withAmounts ? "<th>amounts (count)</th>" : ""}</tr>${rows}</table>`;
}

/**
 * The `/statistics` page: the figures of `GET /v1/statistics` over the period in
 * the query, each cut as a bar chart (SVG drawn here) and a table, with a form to
 * choose another period and a link to the same figures as CSV. `ticket` (when the
 * page was opened with one) goes into the form and the link, so they open too.
 */
export function renderStatisticsPage(statistics: StatisticsView, options: { ticket?: string } = {}): string {
  const { from, to } = statistics.period;
  const query = (extra: Record<string, string | undefined>) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries({ from, to, ...extra })) if (value) search.set(name, value);
    return search.toString();
  };
  const sections = statistics.sections.map((section) => {
    const withAmounts = section.amounts !== undefined;
    const cuts = section.cuts
      .map(
        (cut) => `<div class="cut"><h3>by ${escape(cut.dimension)}</h3>
${withAmounts ? '<p class="caption">how many</p>' : ""}
${barChart(
  `${section.name} by ${cut.dimension}`,
  cut.groups.map((group) => ({
    label: keyLabel(cut.dimension, group.key),
    value: group.count,
    text: String(group.count),
  })),
)}
${(section.amounts ?? [])
  .map(
    ({ currency }) =>
      `<p class="caption">amount, ${escape(currency)}</p>` +
      barChart(
        `${section.name}: ${currency} amounts by ${cut.dimension}`,
        cut.groups.map((group) => {
          const sum = group.amounts?.find((a) => a.currency === currency)?.sum ?? 0;
          return { label: keyLabel(cut.dimension, group.key), value: sum, text: formatAmount({ currency, sum }) };
        }),
      ),
  )
  .join("\n")}
${groupsTable(cut.dimension, cut.groups, withAmounts)}</div>`,
      )
      .join("\n");
    const steps = section.steps
      ? `<div class="cut"><h3>time per step (median)</h3>
${barChart(
  `${section.name}: median time per step`,
  section.steps.map((step) => ({
    label: STEP_TITLES[step.step] ?? step.step,
    value: step.medianSeconds ?? 0,
    text: `${formatSeconds(step.medianSeconds)} (${step.count})`,
  })),
)}</div>`
      : "";
    return `<section id="${escape(section.name)}">
  <h2>${escape(SECTION_TITLES[section.name] ?? section.name)}: ${section.count}</h2>
  ${withAmounts ? `<p>Amounts: ${escape(amountsText(section.amounts)) || "none"}</p>` : ""}
  ${cuts}
  ${steps}
</section>`;
  });
  const period = from || to ? `${escape(from ?? "the beginning")} to ${escape(to ?? "now")}` : "all time";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Statistics</title>
<meta name="referrer" content="no-referrer">
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
section{border-top:1px solid #d0d7de;padding:.5rem 0}.cut{margin:.5rem 0 1rem}h3{font-size:1rem;margin:.6rem 0 .2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border-bottom:1px solid #eaeef2;padding:.2rem .6rem;text-align:left}
td.n{text-align:right}.caption{margin:.3rem 0 0;color:#57606a;font-size:.85rem}form{background:#f6f8fa;padding:.6rem;border-radius:6px}</style></head><body>
<h1>Tech Transfer Ledger: statistics <small>(统计)</small></h1>
<p>Period: ${period} (<code>from</code> inclusive, <code>to</code> exclusive). Generated ${escape(statistics.generatedAt)}.
Amounts are exact sums of integer minor units, shown in major units. See <a href="/docs#get-/v1/statistics">/docs</a>.</p>
<form method="get" action="/statistics">
<label>from <input name="from" value="${escape(from)}" placeholder="2027-01-01"></label>
<label>to <input name="to" value="${escape(to)}" placeholder="2027-04-01"></label>
${options.ticket ? `<input type="hidden" name="ticket" value="${escape(options.ticket)}">` : ""}
<button>Show</button>
<a href="/v1/statistics?${escape(query({ format: "csv", ticket: options.ticket }))}">Download CSV</a>
</form>
${sections.join("\n")}</body></html>`;
}
