import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  isCountryCode,
  validateCreditCode,
  validateForeignRegistration,
  validatePassport,
  validateResidentId,
  type ValidationResult,
} from "../../../gateway/identity/validators";

// ---------------------------------------------------------------------------------------------
// Independent reference implementations. They derive the weights from their definitions instead of
// copying the tables in the module, so a typo in either table shows up as a disagreement.
// ---------------------------------------------------------------------------------------------

/** GB 11643-1999: weight of position i (1-based) is 2^(18-i) mod 11; check = (12 - sum mod 11) mod 11. */
function residentCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? "X" : String(check);
}

const CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** GB 32100-2015: weight of position i (1-based) is 3^(i-1) mod 31; check = 31 - sum mod 31, 31 written 0. */
function creditCheck(first17: string): string {
  let sum = 0;
  let weight = 1;
  for (let i = 0; i < 17; i++) {
    sum += CREDIT_ALPHABET.indexOf(first17[i]) * weight;
    weight = (weight * 3) % 31;
  }
  const check = 31 - (sum % 31);
  return CREDIT_ALPHABET[check === 31 ? 0 : check];
}

const residentId = (region: string, birth: string, sequence: string) => {
  const body = `${region}${birth}${sequence}`;
  return body + residentCheck(body);
};
const creditCode = (first17: string) => first17 + creditCheck(first17);

/** GB 11714 check character of an organisation code's eight body characters (A = 10 … Z = 35). */
function organisationCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body8].reduce((total, c, i) => total + parseInt(c, 36) * weights[i], 0);
  const check = 11 - (sum % 11);
  return check === 10 ? "X" : check === 11 ? "0" : String(check);
}

/** A fixed "now" for every date-dependent test: 2024-06-15 20:00 in Beijing. */
const NOW = new Date("2024-06-15T12:00:00Z");

function expectFailure(result: ValidationResult<unknown>, code: string, secret?: string) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.code).toBe(code);
  // A sentence for a person: capitalised, ends with a full stop.
  expect(result.message).toMatch(/^[A-Z].*\.$/);
  // Messages end up in logs and responses, so they never repeat the submitted number.
  if (secret) expect(result.message).not.toContain(secret);
}

const REGIONS = ["110101", "120101", "310115", "370202", "440305", "510107", "650102", "810000", "820000", "830000"];

const DAY_MS = 24 * 60 * 60 * 1000;
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(2024, 5, 15);

/** Any syntactically valid resident ID with a birth date between 1900-01-01 and NOW's date in Beijing. */
const validResidentId = fc
  .record({
    region: fc.constantFrom(...REGIONS),
    day: fc.integer({ min: 0, max: (LATEST - EARLIEST) / DAY_MS }),
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, day, sequence }) => {
    const birth = new Date(EARLIEST + day * DAY_MS).toISOString().slice(0, 10);
    const id = residentId(region, birth.replaceAll("-", ""), String(sequence).padStart(3, "0"));
    return { id, birth, male: sequence % 2 === 1 };
  });

const validCreditCode = fc
  .record({
    authority: fc.constantFrom(..."123456789ANY"),
    category: fc.constantFrom(...CREDIT_ALPHABET),
    region: fc.constantFrom(...REGIONS),
    organisation: fc.array(fc.constantFrom(...CREDIT_ALPHABET), { minLength: 9, maxLength: 9 }),
  })
  .map(({ authority, category, region, organisation }) => {
    // Authorities 1, 5 and 9 (except individual businesses, 92) embed a GB 11714 organisation code.
    const body = organisation.slice(0, 8).join("");
    const embedsOrganisationCode = "159".includes(authority) && `${authority}${category}` !== "92";
    const ninth = embedsOrganisationCode ? organisationCheck(body) : organisation[8];
    return creditCode(`${authority}${category}${region}${body}${ninth}`);
  });

describe("validateResidentId", () => {
  it("accepts the well-known GB 11643 sample 11010519491231002X and decodes birth date and sex", () => {
    expect(residentCheck("11010519491231002")).toBe("X");
    expect(validateResidentId("11010519491231002X", NOW)).toEqual({
      ok: true,
      value: "11010519491231002X",
      birthDate: "1949-12-31",
      sex: "female",
    });
  });

  it("accepts a number built from region 110101, birth date 1990-03-07 and sequence 123 as a man's", () => {
    const id = residentId("110101", "19900307", "123");
    expect(id).toBe("110101199003071233");
    expect(validateResidentId(id, NOW)).toEqual({ ok: true, value: id, birthDate: "1990-03-07", sex: "male" });
  });

  it("accepts a lower-case x and normalises it to X", () => {
    const result = validateResidentId("11010519491231002x", NOW);
    expect(result.ok && result.value).toBe("11010519491231002X");
  });

  it("ignores surrounding white space", () => {
    const result = validateResidentId("  110101199003071233\n", NOW);
    expect(result.ok && result.value).toBe("110101199003071233");
  });

  it("uses the current date when no `now` is given", () => {
    expect(validateResidentId("110101199003071233").ok).toBe(true);
  });

  it("accepts the Hong Kong, Macao and Taiwan residence permit address codes 81, 82 and 83", () => {
    for (const region of ["810000", "820000", "830000"]) {
      expect(validateResidentId(residentId(region, "19851120", "004"), NOW).ok).toBe(true);
    }
  });

  it.each([
    ["17 characters", "11010519491231002"],
    ["19 characters", "11010519491231002X1"],
    ["an empty string", ""],
    ["a letter among the first 17", "1101051949123100AX"],
    ["an X before the last position", "1101051949123100X2"],
    ["a letter other than X last", "11010519491231002Y"],
    ["an inner space", "110105 1949123100X"],
    ["full-width digits", "１１０１０５１９４９１２３１００２X"],
  ])("refuses %s as RESIDENT_ID_FORMAT", (_, input) => {
    expectFailure(validateResidentId(input, NOW), "RESIDENT_ID_FORMAT");
  });

  it("refuses a value that is not a string as RESIDENT_ID_FORMAT instead of throwing", () => {
    expectFailure(validateResidentId(12345 as unknown as string, NOW), "RESIDENT_ID_FORMAT");
  });

  it("refuses a wrong check digit as RESIDENT_ID_CHECK_DIGIT", () => {
    expectFailure(validateResidentId("110105194912310021", NOW), "RESIDENT_ID_CHECK_DIGIT", "110105194912310021");
    expectFailure(validateResidentId("110101199003071234", NOW), "RESIDENT_ID_CHECK_DIGIT");
  });

  it("refuses a single changed digit as RESIDENT_ID_CHECK_DIGIT", () => {
    // The sequence code 123 becomes 124: everything else is still plausible.
    expectFailure(validateResidentId("110101199003071243", NOW), "RESIDENT_ID_CHECK_DIGIT");
  });

  it.each(["99", "00", "10", "16", "47", "72", "80", "84", "91"])(
    "refuses province code %s as RESIDENT_ID_REGION even with a correct check digit",
    (province) => {
      const id = residentId(`${province}0101`, "19900307", "123");
      expectFailure(validateResidentId(id, NOW), "RESIDENT_ID_REGION", id);
    },
  );

  it("refuses 29 February in a non-leap year as RESIDENT_ID_BIRTH_DATE", () => {
    expectFailure(validateResidentId(residentId("110101", "19990229", "123"), NOW), "RESIDENT_ID_BIRTH_DATE");
    // 1900 is divisible by 4 but is a century not divisible by 400: not a leap year.
    expectFailure(validateResidentId(residentId("110101", "19000229", "123"), NOW), "RESIDENT_ID_BIRTH_DATE");
  });

  it("accepts 29 February in leap years, including the century 2000", () => {
    expect(validateResidentId(residentId("110101", "19960229", "123"), NOW)).toMatchObject({
      ok: true,
      birthDate: "1996-02-29",
    });
    expect(validateResidentId(residentId("110101", "20000229", "123"), NOW)).toMatchObject({
      ok: true,
      birthDate: "2000-02-29",
    });
  });

  it.each([
    ["month 00", "19900007"],
    ["month 13", "19901307"],
    ["day 00", "19900300"],
    ["31 April", "19900431"],
    ["30 February", "20000230"],
  ])("refuses the impossible date %s as RESIDENT_ID_BIRTH_DATE", (_, birth) => {
    expectFailure(validateResidentId(residentId("110101", birth, "123"), NOW), "RESIDENT_ID_BIRTH_DATE");
  });

  it("refuses a birth date after today as RESIDENT_ID_BIRTH_DATE", () => {
    expectFailure(validateResidentId(residentId("110101", "20240616", "123"), NOW), "RESIDENT_ID_BIRTH_DATE");
    expectFailure(validateResidentId(residentId("110101", "20250101", "123"), NOW), "RESIDENT_ID_BIRTH_DATE");
  });

  it("accepts a birth date of today", () => {
    expect(validateResidentId(residentId("110101", "20240615", "123"), NOW).ok).toBe(true);
  });

  it("judges 'today' by the calendar in Beijing, not UTC", () => {
    // 16:30 UTC on 15 June is 00:30 on 16 June in Beijing: a baby born that night has a valid number.
    const justAfterMidnightInBeijing = new Date("2024-06-15T16:30:00Z");
    const id = residentId("110101", "20240616", "123");
    expect(validateResidentId(id, justAfterMidnightInBeijing).ok).toBe(true);
    expectFailure(validateResidentId(id, new Date("2024-06-15T15:59:59Z")), "RESIDENT_ID_BIRTH_DATE");
  });

  it("refuses a birth date before 1900-01-01 and accepts 1900-01-01", () => {
    expectFailure(validateResidentId(residentId("110101", "18991231", "123"), NOW), "RESIDENT_ID_BIRTH_DATE");
    expect(validateResidentId(residentId("110101", "19000101", "123"), NOW).ok).toBe(true);
  });

  it("accepts every generated valid number and decodes its birth date and sex (property)", () => {
    fc.assert(
      fc.property(validResidentId, ({ id, birth, male }) => {
        expect(validateResidentId(id, NOW)).toEqual({
          ok: true,
          value: id,
          birthDate: birth,
          sex: male ? "male" : "female",
        });
      }),
    );
  });

  it("never accepts a valid number with one of its first 17 digits changed (property)", () => {
    fc.assert(
      fc.property(
        validResidentId,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        ({ id }, position, delta) => {
          const digit = String((Number(id[position]) + delta) % 10);
          const changed = id.slice(0, position) + digit + id.slice(position + 1);
          const result = validateResidentId(changed, NOW);
          expect(result.ok).toBe(false);
          if (result.ok) return;
          // MOD 11-2 catches every single-digit substitution: 11 is prime and no weight is 0 mod 11.
          // The change may first break the province or the birth date, which are checked earlier.
          expect(["RESIDENT_ID_REGION", "RESIDENT_ID_BIRTH_DATE", "RESIDENT_ID_CHECK_DIGIT"]).toContain(result.code);
          // Digits 3–6 (county) and 15–17 (sequence) are not checked on their own: only the check digit can tell.
          if ((position >= 2 && position <= 5) || position >= 14) expect(result.code).toBe("RESIDENT_ID_CHECK_DIGIT");
        },
      ),
    );
  });

  it("normalises idempotently (property)", () => {
    fc.assert(
      fc.property(validResidentId, fc.boolean(), ({ id }, lowerCase) => {
        const first = validateResidentId(lowerCase ? id.toLowerCase() : id, NOW);
        if (!first.ok) throw new Error(first.message);
        expect(first.value).toBe(id);
        expect(validateResidentId(first.value, NOW)).toEqual(first);
      }),
    );
  });
});

describe("validateCreditCode", () => {
  it("accepts the documentation example 91350100M000100Y43, whose check character recomputes to 3", () => {
    expect(creditCheck("91350100M000100Y4")).toBe("3");
    expect(validateCreditCode("91350100M000100Y43")).toEqual({ ok: true, value: "91350100M000100Y43" });
  });

  it.each(["914403001922038216", "9144030071526726XG", "91330100716105852F", "91110108551385082Q"])(
    "accepts the published enterprise code %s, whose check character recomputes correctly",
    (code) => {
      expect(creditCheck(code.slice(0, 17))).toBe(code[17]);
      expect(validateCreditCode(code)).toEqual({ ok: true, value: code });
    },
  );

  it("accepts lower case and surrounding white space, normalising to upper case", () => {
    expect(validateCreditCode(" 9144030071526726xg ")).toEqual({ ok: true, value: "9144030071526726XG" });
  });

  it("writes a remainder of 31 as the check character 0", () => {
    // Find an organisation code whose weighted sum is a multiple of 31.
    // Authority Y embeds no GB 11714 organisation code, so any 17th character may be tried.
    const first17 = [...CREDIT_ALPHABET]
      .map((last) => `Y111010810000000${last}`)
      .find((candidate) => creditCheck(candidate) === "0");
    expect(first17).toBeDefined();
    expect(validateCreditCode(`${first17}0`).ok).toBe(true);
  });

  it.each([..."123456789ANY"])("accepts the registration authority code %s", (authority) => {
    expect(validateCreditCode(creditCode(`${authority}1110108551385082`)).ok).toBe(true);
  });

  it.each([..."BCDEFGHJKLMPQRTUWX0"])(
    "refuses the unknown registration authority code %s as CREDIT_CODE_FORMAT",
    (authority) => {
      expectFailure(validateCreditCode(creditCode(`${authority}1110108551385082`)), "CREDIT_CODE_FORMAT");
    },
  );

  it.each([
    ["17 characters", "91350100M000100Y4"],
    ["19 characters", "91350100M000100Y433"],
    ["an empty string", ""],
    ["a letter in the division code", creditCode("9135A100M000100Y4")],
    ["punctuation", "91350100-000100Y43"],
    ["a look-alike non-Latin letter", "91350100М000100Y43"], // Cyrillic М
  ])("refuses %s as CREDIT_CODE_FORMAT", (_, input) => {
    expectFailure(validateCreditCode(input), "CREDIT_CODE_FORMAT");
  });

  it.each([..."IOZSV"])("refuses the letter %s, which GB 32100 excludes, as CREDIT_CODE_FORMAT", (letter) => {
    expectFailure(validateCreditCode(`91350100${letter}000100Y43`), "CREDIT_CODE_FORMAT");
    expectFailure(validateCreditCode(`91350100M000100Y4${letter}`), "CREDIT_CODE_FORMAT");
    expectFailure(validateCreditCode(`91350100${letter.toLowerCase()}000100Y43`), "CREDIT_CODE_FORMAT");
  });

  it("refuses a value that is not a string as CREDIT_CODE_FORMAT instead of throwing", () => {
    expectFailure(validateCreditCode(undefined as unknown as string), "CREDIT_CODE_FORMAT");
  });

  it("refuses a wrong check character as CREDIT_CODE_CHECK_CHARACTER", () => {
    expectFailure(validateCreditCode("91350100M000100Y44"), "CREDIT_CODE_CHECK_CHARACTER", "91350100M000100Y44");
    expectFailure(validateCreditCode("9144030071526726XH"), "CREDIT_CODE_CHECK_CHARACTER");
  });

  it("refuses two swapped characters of the division code as CREDIT_CODE_CHECK_CHARACTER", () => {
    expectFailure(validateCreditCode("91351000M000100Y43"), "CREDIT_CODE_CHECK_CHARACTER");
  });

  it("refuses two swapped characters of the organisation code as CREDIT_CODE_ORGANISATION_CHECK_CHARACTER", () => {
    expectFailure(validateCreditCode("91350100M000010Y43"), "CREDIT_CODE_ORGANISATION_CHECK_CHARACTER");
  });

  it("checks the GB 11714 organisation code inside the credit code, and says which check failed", () => {
    // M000100Y4 is a valid organisation code; M000100Y5 is not. Both credit codes carry a correct 18th character.
    expect(organisationCheck("M000100Y")).toBe("4");
    const wrongOrganisation = creditCode("91350100M000100Y5");
    expectFailure(validateCreditCode(wrongOrganisation), "CREDIT_CODE_ORGANISATION_CHECK_CHARACTER");
    expect((validateCreditCode(wrongOrganisation) as { message: string }).message).toMatch(/characters 9 to 17/);
    // Only the 18th character wrong: the organisation code is fine, the overall check is not.
    const result = validateCreditCode("91350100M000100Y44");
    expect(result.ok || result.code).toBe("CREDIT_CODE_CHECK_CHARACTER");
    expect((result as { message: string }).message).toMatch(/last character/);
  });

  it.each([
    ["1", "1"],
    ["5", "1"],
    ["9", "1"],
  ])("applies the organisation code check for authority %s, category %s", (authority, category) => {
    expectFailure(
      validateCreditCode(creditCode(`${authority}${category}350100M000100Y5`)),
      "CREDIT_CODE_ORGANISATION_CHECK_CHARACTER",
    );
  });

  it.each([
    ["9", "2"],
    ["Y", "1"],
    ["N", "1"],
    ["2", "1"],
  ])("does not apply it for authority %s, category %s, whose codes need not embed one", (authority, category) => {
    expect(validateCreditCode(creditCode(`${authority}${category}350100M000100Y5`)).ok).toBe(true);
  });

  it("accepts every generated valid code (property)", () => {
    fc.assert(
      fc.property(validCreditCode, (code) => {
        expect(validateCreditCode(code)).toEqual({ ok: true, value: code });
      }),
    );
  });

  it("never accepts a valid code with one of its first 17 characters changed (property)", () => {
    fc.assert(
      fc.property(
        validCreditCode,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 30 }),
        (code, position, delta) => {
          const replacement = CREDIT_ALPHABET[(CREDIT_ALPHABET.indexOf(code[position]) + delta) % 31];
          const changed = code.slice(0, position) + replacement + code.slice(position + 1);
          const result = validateCreditCode(changed);
          expect(result.ok).toBe(false);
          if (result.ok) return;
          // MOD 31-3 catches every single substitution: 31 is prime and no weight is 0 mod 31.
          expect([
            "CREDIT_CODE_FORMAT",
            "CREDIT_CODE_ORGANISATION_CHECK_CHARACTER",
            "CREDIT_CODE_CHECK_CHARACTER",
          ]).toContain(result.code);
          if (position === 1 || position >= 8)
            expect(["CREDIT_CODE_ORGANISATION_CHECK_CHARACTER", "CREDIT_CODE_CHECK_CHARACTER"]).toContain(result.code);
          // The division code (3–8) is not part of the organisation code; the first two may switch its check on.
          if (position >= 2 && position < 8) expect(result.code).not.toBe("CREDIT_CODE_ORGANISATION_CHECK_CHARACTER");
        },
      ),
    );
  });

  it("normalises idempotently (property)", () => {
    fc.assert(
      fc.property(validCreditCode, fc.boolean(), (code, lowerCase) => {
        const first = validateCreditCode(lowerCase ? code.toLowerCase() : code);
        if (!first.ok) throw new Error(first.message);
        expect(first.value).toBe(code);
        expect(validateCreditCode(first.value)).toEqual(first);
      }),
    );
  });
});

describe("isCountryCode", () => {
  it.each(["DE", "US", "JP", "CN", "HK", "MO", "TW", "SS", "BQ", "AX"])("knows the assigned code %s", (code) => {
    expect(isCountryCode(code)).toBe(true);
  });

  it.each(["XK", "EU", "UK", "ZZ", "AA", "AN", "YU", "CS", "SU", "de", "D", "DEU", "", " DE"])(
    "does not know %j",
    (code) => {
      expect(isCountryCode(code)).toBe(false);
    },
  );

  it("knows exactly the 249 officially assigned ISO 3166-1 alpha-2 codes", () => {
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const known = [...letters].flatMap((a) => [...letters].map((b) => a + b)).filter(isCountryCode);
    expect(known).toHaveLength(249);
  });
});

describe("validatePassport", () => {
  it("upper-cases the number and country and strips spaces", () => {
    expect(validatePassport({ number: "c01x 00t47", country: " de " })).toEqual({
      ok: true,
      value: { number: "C01X00T47", country: "DE" },
    });
  });

  it("accepts 5 and 20 characters", () => {
    expect(validatePassport({ number: "A1234", country: "FR" }).ok).toBe(true);
    expect(validatePassport({ number: "A".repeat(20), country: "FR" }).ok).toBe(true);
  });

  it("refuses a Chinese passport as PASSPORT_COUNTRY_CN and points to the resident ID", () => {
    const result = validatePassport({ number: "E12345678", country: "CN" });
    expectFailure(result, "PASSPORT_COUNTRY_CN", "E12345678");
    expect(!result.ok && result.message).toMatch(/resident ID/);
    expectFailure(validatePassport({ number: "E12345678", country: "cn" }), "PASSPORT_COUNTRY_CN");
  });

  it.each(["XX", "XK", "EU", "", "DEU", "D"])("refuses the unknown country %j as COUNTRY_UNKNOWN", (country) => {
    expectFailure(validatePassport({ number: "C01X00T47", country }), "COUNTRY_UNKNOWN");
  });

  it.each([
    ["4 characters", "A123"],
    ["21 characters", "A".repeat(21)],
    ["punctuation", "C01X-00T47"],
    ["non-Latin letters", "С01Х00Т47"], // Cyrillic look-alikes
    ["a dotless i that upper-cases to I", "ı01X00T47"],
    ["only spaces", "     "],
  ])("refuses %s as PASSPORT_NUMBER_FORMAT", (_, number) => {
    expectFailure(validatePassport({ number, country: "GB" }), "PASSPORT_NUMBER_FORMAT");
  });

  it("normalises idempotently", () => {
    const first = validatePassport({ number: " ab 12 cd 34 ", country: "it" });
    if (!first.ok) throw new Error(first.message);
    expect(validatePassport(first.value)).toEqual(first);
  });
});

describe("validateForeignRegistration", () => {
  it("trims, collapses spaces and upper-cases the number and country", () => {
    expect(validateForeignRegistration({ number: " hrb  86891 ", country: "de" })).toEqual({
      ok: true,
      value: { number: "HRB 86891", country: "DE" },
    });
  });

  it.each(["12", "0000000001", "C-123/45.6", "SC123456", "A".repeat(40)])("accepts %j", (number) => {
    expect(validateForeignRegistration({ number, country: "GB" }).ok).toBe(true);
  });

  it("refuses a Chinese registration as REGISTRATION_COUNTRY_CN and points to the credit code", () => {
    const result = validateForeignRegistration({ number: "91350100M000100Y43", country: "CN" });
    expectFailure(result, "REGISTRATION_COUNTRY_CN", "91350100M000100Y43");
    expect(!result.ok && result.message).toMatch(/unified social credit code/);
  });

  it.each(["QQ", "UK", "", "GBR"])("refuses the unknown country %j as COUNTRY_UNKNOWN", (country) => {
    expectFailure(validateForeignRegistration({ number: "HRB 86891", country }), "COUNTRY_UNKNOWN");
  });

  it.each([
    ["1 character", "1"],
    ["41 characters", "A".repeat(41)],
    ["an underscore", "HRB_86891"],
    ["a comma", "HRB 86,891"],
    ["a tab inside", "HRB\t86891"],
    ["only punctuation", "-/."],
    ["a German sharp s that upper-cases to SS", "straße1"],
  ])("refuses %s as REGISTRATION_NUMBER_FORMAT", (_, number) => {
    expectFailure(validateForeignRegistration({ number, country: "DE" }), "REGISTRATION_NUMBER_FORMAT");
  });

  it("normalises idempotently (property)", () => {
    const registrationCharacter = fc.constantFrom(..."abcXYZ0189 -/.");
    fc.assert(
      fc.property(fc.array(registrationCharacter, { minLength: 2, maxLength: 40 }), (characters) => {
        const first = validateForeignRegistration({ number: characters.join(""), country: "nl" });
        if (!first.ok) return;
        expect(validateForeignRegistration(first.value)).toEqual(first);
      }),
    );
  });
});
