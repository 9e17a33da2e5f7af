/** A Chinese supply listing of a Yunnan university: PV module recycling. */
export function pvRecyclingSupply(overrides: Record<string, unknown> = {}) {
  return {
    side: "supply",
    language: "zh",
    title: {
      zh: "晶硅光伏组件绿色回收与高纯硅再生技术",
      en: "Green recycling of crystalline-silicon PV modules and high-purity silicon recovery",
    },
    translated: ["en"],
    summary: {
      zh: "本技术通过低温热解与湿法冶金联用，实现退役光伏组件中玻璃、铝框、银和高纯硅的分离回收，硅回收率大于95%。",
      en: "Low-temperature pyrolysis combined with hydrometallurgy separates glass, aluminium frames, silver and high-purity silicon from retired PV modules; silicon recovery above 95%.",
    },
    problemSolved: { zh: "退役光伏组件难以经济环保地回收" },
    field: "energy.pv",
    ipc: ["B09B 3/00", "H01L 31/18", "C01B 33/037"],
    keywords: ["光伏组件回收", "高纯硅", "热解", "PV recycling", "silicon recovery"],
    trl: 6,
    resultKind: "patent",
    ip: [
      {
        number: "ZL202110123456.7",
        kind: "invention-patent",
        status: "granted",
        owner: "云南某大学",
        grantDate: "2023-05-12",
        expiryDate: "2041-01-30",
      },
    ],
    modes: ["transfer", "exclusive-licence"],
    price: { amount: 120_000_000, currency: "CNY" },
    region: "CN-53",
    details: { process: "热解温度 480 °C，保温 45 分钟；浸出液 HNO3 3 mol/L" },
    ...overrides,
  };
}

/** An English demand of a Thai company: recycling retired solar panels. */
export function solarRecyclingDemand(overrides: Record<string, unknown> = {}) {
  return {
    side: "demand",
    language: "en",
    title: { en: "Technology to recycle end-of-life solar panels and recover silicon" },
    summary: {
      en: "We collect 20,000 t/year of retired crystalline solar panels and need a process to recover silicon and silver.",
    },
    problem: { en: "Landfilling retired photovoltaic modules; we need economic recycling with silicon recovery." },
    targets: ["silicon recovery ≥ 90%", "silver recovery ≥ 85%", "capacity ≥ 5,000 t/year"],
    field: "energy.pv",
    ipc: ["B09B 3/00"],
    keywords: ["solar panel recycling", "PV recycling", "silicon recovery"],
    minTrl: 5,
    budget: { min: 80_000_000, max: 150_000_000, currency: "CNY" },
    modes: ["exclusive-licence", "joint-development"],
    region: "TH",
    deadline: "2027-06-30",
    ...overrides,
  };
}

/** A look-alike: shares "battery" and "recycling" words but is software. */
export function batterySoftwareSupply() {
  return pvRecyclingSupply({
    language: "en",
    title: { en: "Battery management software with recycling-aware state-of-health estimation" },
    translated: [],
    summary: { en: "A BMS software that estimates state of health and flags packs for second-life use or recycling." },
    problemSolved: undefined,
    field: "software.energy",
    ipc: ["G01R 31/392", "G06N 20/00"],
    keywords: ["battery management", "state of health", "software"],
    resultKind: "software",
    ip: [],
    modes: ["non-exclusive-licence"],
    price: { amount: 30_000_000, currency: "CNY" },
    details: undefined,
  });
}
