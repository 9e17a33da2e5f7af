/**
 * Pure validators for real-name certification (实名认证): PRC resident identity numbers,
 * unified social credit codes, foreign passports and foreign company registrations.
 *
 * Every validator returns a {@link ValidationResult} instead of throwing, so a caller can map a
 * failure onto its own error (an HTTP 400, a form field message) without try/catch, and so the
 * stable `code` can be tested and documented while the `message` stays free to improve.
 *
 * Messages never repeat the submitted number: these values are personal data, and messages end up
 * in logs and HTTP responses.
 */

/**
 * A failed validation: a stable UPPER_SNAKE `code` for programs and an English sentence for people.
 *
 * @example
 * const failure: ValidationFailure<"RESIDENT_ID_FORMAT"> = {
 *   ok: false,
 *   code: "RESIDENT_ID_FORMAT",
 *   message: "A resident ID number has exactly 18 characters.",
 * };
 */
export type ValidationFailure<Code extends string = string> = {
  readonly ok: false;
  readonly code: Code;
  readonly message: string;
};

/**
 * A successful validation: the normalised `value` plus whatever the validator derived from it.
 *
 * @example
 * const success: ValidationSuccess<string, { sex: "male" | "female" }> = { ok: true, value: "…", sex: "female" };
 */
export type ValidationSuccess<T, Extra extends object = Record<never, never>> = {
  readonly ok: true;
  readonly value: T;
} & Readonly<Extra>;

/**
 * The outcome of every validator in this module, discriminated on `ok`.
 *
 * @example
 * const result: ValidationResult<string> = validateCreditCode(input);
 * if (result.ok) save(result.value);
 * else reply(400, result.code, result.message);
 */
export type ValidationResult<T, Extra extends object = Record<never, never>, Code extends string = string> =
  ValidationSuccess<T, Extra> | ValidationFailure<Code>;

/**
 * The failure codes of {@link validateResidentId}.
 *
 * @example
 * const code: ResidentIdErrorCode = "RESIDENT_ID_CHECK_DIGIT";
 */
export type ResidentIdErrorCode =
  "RESIDENT_ID_FORMAT" | "RESIDENT_ID_REGION" | "RESIDENT_ID_BIRTH_DATE" | "RESIDENT_ID_CHECK_DIGIT";

/**
 * What {@link validateResidentId} returns: the normalised number, the birth date and the sex it encodes.
 *
 * @example
 * const result: ResidentIdResult = validateResidentId("11010519491231002x");
 * if (result.ok) console.log(result.birthDate, result.sex); // "1949-12-31" "female"
 */
export type ResidentIdResult = ValidationResult<
  string,
  { birthDate: string; sex: "male" | "female" },
  ResidentIdErrorCode
>;

/**
 * The failure codes of {@link validateCreditCode}.
 *
 * @example
 * const code: CreditCodeErrorCode = "CREDIT_CODE_CHECK_CHARACTER";
 */
export type CreditCodeErrorCode =
  "CREDIT_CODE_FORMAT" | "CREDIT_CODE_CHECK_CHARACTER" | "CREDIT_CODE_ORGANISATION_CHECK_CHARACTER";

/**
 * A foreign identifier together with the ISO 3166-1 alpha-2 code of the country that issued it.
 *
 * @example
 * const passport: ForeignDocument = { number: "C01X00T47", country: "DE" };
 */
export type ForeignDocument = { readonly number: string; readonly country: string };

/**
 * The failure codes of {@link validatePassport}.
 *
 * @example
 * const code: PassportErrorCode = "PASSPORT_COUNTRY_CN";
 */
export type PassportErrorCode = "PASSPORT_NUMBER_FORMAT" | "COUNTRY_UNKNOWN" | "PASSPORT_COUNTRY_CN";

/**
 * The failure codes of {@link validateForeignRegistration}.
 *
 * @example
 * const code: ForeignRegistrationErrorCode = "REGISTRATION_COUNTRY_CN";
 */
export type ForeignRegistrationErrorCode = "REGISTRATION_NUMBER_FORMAT" | "COUNTRY_UNKNOWN" | "REGISTRATION_COUNTRY_CN";

/**
 * Upper-cases ASCII letters only. String.prototype.toUpperCase would map some non-Latin characters
 * onto Latin ones ("ı" → "I", "ß" → "SS", "ﬁ" → "FI"), letting look-alike input pass the ASCII
 * checks below and change length after the length check.
 */
const asciiUpper = (text: string) => text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());

const fail = <Code extends string>(code: Code, message: string): ValidationFailure<Code> => ({
  ok: false,
  code,
  message,
});

// ---------------------------------------------------------------------------------------------
// Resident identity number (公民身份号码), GB 11643-1999
// ---------------------------------------------------------------------------------------------

/** GB 11643-1999 §6.2 (ISO 7064 MOD 11-2): the weight of position i is 2^(17-i) mod 11. */
const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** The check character for each value of (weighted sum mod 11); a residue of 10 is written X. */
const RESIDENT_ID_CHECK_CHARACTERS = "10X98765432";

/**
 * Province-level prefixes of the GB/T 2260 administrative division code, the first two digits of
 * the address code (GB 11643-1999 §5.1). 71 is Taiwan in GB/T 2260. 81, 82 and 83 are the address
 * codes 810000, 820000 and 830000 that the Ministry of Public Security assigns, in the same number
 * format, to the residence permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证申领
 * 发放办法, 2018). Only the prefix is checked: the full six-digit table changes every year, and a
 * number keeps the code of the county that issued it even after that county is merged or renamed.
 */
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  "11", "12", "13", "14", "15", // North China
  "21", "22", "23", // North-east
  "31", "32", "33", "34", "35", "36", "37", // East
  "41", "42", "43", "44", "45", "46", // Central and South
  "50", "51", "52", "53", "54", // South-west
  "61", "62", "63", "64", "65", // North-west
  "71", // Taiwan
  "81", "82", "83", // Hong Kong, Macao and Taiwan residence permits
]); // prettier-ignore

/** Birth dates before this (YYYYMMDD as a number) are refused: no living applicant predates it. */
const EARLIEST_BIRTH_DATE = 1900_01_01;
/** China Standard Time has been UTC+8 without daylight saving since 1992. */
const CHINA_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** GB 11643-1999 §8: Gregorian leap years. */
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The date `now` falls on in China as YYYYMMDD. The birth date code is a PRC civil date, so "in the
 * future" is judged on the Beijing calendar: a child born just after midnight in Beijing is not
 * refused because it is still the previous day in UTC.
 */
function chinaDateNumber(now: Date): number {
  const china = new Date(now.getTime() + CHINA_UTC_OFFSET_MS);
  return china.getUTCFullYear() * 10000 + (china.getUTCMonth() + 1) * 100 + china.getUTCDate();
}

/**
 * Validates a PRC resident identity number (公民身份号码) under GB 11643-1999.
 *
 * The number is 6 digits of address code, an 8-digit birth date YYYYMMDD, a 3-digit sequence code
 * (odd for men, even for women) and an ISO 7064 MOD 11-2 check character, a digit or `X`. Leading
 * and trailing white space is ignored and a lower-case `x` is accepted; the normalised value has an
 * upper-case `X`. Checks run in order: characters and length, province, birth date, check character.
 *
 * @param input the number as the person typed it
 * @param now the current instant; the birth date must not be later than today's date in China
 * @returns the normalised number, the birth date as `YYYY-MM-DD` and the sex, or a failure coded
 *   `RESIDENT_ID_FORMAT`, `RESIDENT_ID_REGION`, `RESIDENT_ID_BIRTH_DATE` or `RESIDENT_ID_CHECK_DIGIT`
 * @example
 * validateResidentId("11010519491231002x");
 * // → { ok: true, value: "11010519491231002X", birthDate: "1949-12-31", sex: "female" }
 * validateResidentId("110105194912310021");
 * // → { ok: false, code: "RESIDENT_ID_CHECK_DIGIT", message: "…" }
 */
export function validateResidentId(input: string, now: Date = new Date()): ResidentIdResult {
  if (typeof input !== "string") {
    return fail("RESIDENT_ID_FORMAT", "A resident ID number must be given as text.");
  }
  const value = asciiUpper(input.trim());
  if (value.length !== 18) {
    return fail("RESIDENT_ID_FORMAT", "A resident ID number has exactly 18 characters.");
  }
  // ASCII digits only (no u flag: \d does not match full-width digits).
  if (!/^\d{17}[\dX]$/.test(value)) {
    return fail(
      "RESIDENT_ID_FORMAT",
      "A resident ID number consists of 17 digits followed by a digit or the letter X.",
    );
  }

  if (!PROVINCE_CODES.has(value.slice(0, 2))) {
    return fail(
      "RESIDENT_ID_REGION",
      "The first two digits of the resident ID number are not a province-level region code of China.",
    );
  }

  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail(
      "RESIDENT_ID_BIRTH_DATE",
      "The birth date in the resident ID number (digits 7 to 14) is not a real calendar date.",
    );
  }
  const birth = Number(value.slice(6, 14));
  if (birth < EARLIEST_BIRTH_DATE) {
    return fail("RESIDENT_ID_BIRTH_DATE", "The birth date in the resident ID number is before 1 January 1900.");
  }
  if (birth > chinaDateNumber(now)) {
    return fail("RESIDENT_ID_BIRTH_DATE", "The birth date in the resident ID number is in the future.");
  }

  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(value[i]) * RESIDENT_ID_WEIGHTS[i];
  if (value[17] !== RESIDENT_ID_CHECK_CHARACTERS[sum % 11]) {
    return fail(
      "RESIDENT_ID_CHECK_DIGIT",
      "The resident ID number is not valid: its last character does not match the other 17. Please check it for typing mistakes.",
    );
  }

  return {
    ok: true,
    value,
    birthDate: `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`,
    // GB 11643-1999 §5.3: the sequence code is odd for men and even for women.
    sex: Number(value[16]) % 2 === 1 ? "male" : "female",
  };
}

// ---------------------------------------------------------------------------------------------
// Unified social credit code (统一社会信用代码), GB 32100-2015
// ---------------------------------------------------------------------------------------------

/**
 * GB 32100-2015 §4.1: digits and upper-case Latin letters except I, O, Z, S and V (too easily
 * confused with 1, 0, 2, 5 and U). A character's value in the check computation is its index here.
 */
const CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/** GB 32100-2015 §5 (GB/T 17710 MOD 31-3): the weight of position i is 3^(i-1) mod 31. */
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * Registration authority codes (登记管理部门代码), position 1. GB 32100-2015 Appendix A lists
 * 1 organ establishment (机构编制), 5 civil affairs (民政), 9 industry and commerce, now market
 * regulation (工商), and Y other (其他); the national code-assignment tables later added 2 foreign
 * affairs (外交), 3 judicial administration (司法行政), 4 culture (文化), 6 tourism (旅游),
 * 7 religious affairs (宗教), 8 trade unions (工会), A the Central Military Commission's office for
 * reform and organisation (中央军委改革和编制办公室) and N agriculture, for rural collective economic
 * organisations (农业).
 *
 * Position 2, the institution category (机构类别代码), is deliberately not checked against a table:
 * each authority defines and extends its own categories, and refusing a category this list does not
 * know yet would lock a lawfully registered organisation out of certification. The check character
 * still catches any typing mistake there.
 */
const REGISTRATION_AUTHORITIES = "123456789ANY";

/** GB 11714-1997 §5: the weights of the organisation code's eight body characters (MOD 11). */
const ORGANISATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * Whether characters 9–17 of `code` are an organisation code under GB 11714 with its own check
 * character. GB 32100-2015 §4.2 places the organisation code there; organisations registered by
 * organ establishment (1), civil affairs (5) and market regulation (9) carry the code assigned under
 * GB 11714, with its check. Individual businesses (category 2 under authority 9, 个体工商户) and the
 * other authorities are given a sequence in that place that need not satisfy GB 11714, so their
 * codes are checked by the overall check character only.
 */
function carriesOrganisationCode(code: string): boolean {
  return "159".includes(code[0]) && !(code[0] === "9" && code[1] === "2");
}

/**
 * GB 11714-1997 check: eight digits or capital letters (A = 10 … Z = 35) weighted 3 7 9 10 5 8 4 2;
 * the check character is 11 − (sum mod 11), written X for 10 and 0 for 11.
 */
function isOrganisationCode(organisation: string): boolean {
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(organisation)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(organisation[i], 36) * ORGANISATION_CODE_WEIGHTS[i];
  const check = 11 - (sum % 11);
  return organisation[8] === (check === 10 ? "X" : check === 11 ? "0" : String(check));
}

/**
 * Validates a unified social credit code (统一社会信用代码) under GB 32100-2015.
 *
 * The code is 18 characters: registration authority (1), institution category (1), the GB/T 2260
 * administrative division code of the registering office (6 digits), the organisation code (9) and a
 * check character. Leading and trailing white space is ignored and lower case is accepted; the
 * normalised value is upper case.
 *
 * Two checks, each with its own failure code, so the person knows where to look: for codes whose
 * registration authority embeds a GB 11714 organisation code (authorities 1, 5 and 9, except
 * individual businesses, 92), that code's own check character (character 17) is checked first
 * (`CREDIT_CODE_ORGANISATION_CHECK_CHARACTER`); then the code's check character (character 18,
 * `CREDIT_CODE_CHECK_CHARACTER`).
 *
 * Some codes issued by early pilot regions before the standard was final do not satisfy the check
 * character; they are refused here and need manual review.
 *
 * @param input the code as the person typed it
 * @returns the normalised code, or a failure coded `CREDIT_CODE_FORMAT`,
 *   `CREDIT_CODE_ORGANISATION_CHECK_CHARACTER` or `CREDIT_CODE_CHECK_CHARACTER`
 * @example
 * validateCreditCode("91350100m000100y43"); // → { ok: true, value: "91350100M000100Y43" }
 * validateCreditCode("91350100M000100Y44"); // → { ok: false, code: "CREDIT_CODE_CHECK_CHARACTER", message: "…" }
 */
export function validateCreditCode(input: string): ValidationResult<string, Record<never, never>, CreditCodeErrorCode> {
  if (typeof input !== "string") {
    return fail("CREDIT_CODE_FORMAT", "A unified social credit code must be given as text.");
  }
  const value = asciiUpper(input.trim());
  if (value.length !== 18) {
    return fail("CREDIT_CODE_FORMAT", "A unified social credit code has exactly 18 characters.");
  }
  if (![...value].every((c) => CREDIT_CODE_ALPHABET.includes(c))) {
    return fail(
      "CREDIT_CODE_FORMAT",
      "A unified social credit code consists of digits and capital letters other than I, O, Z, S and V.",
    );
  }
  if (!REGISTRATION_AUTHORITIES.includes(value[0])) {
    return fail(
      "CREDIT_CODE_FORMAT",
      "The first character of the unified social credit code is not a known registration authority code.",
    );
  }
  if (!/^\d{6}$/.test(value.slice(2, 8))) {
    return fail(
      "CREDIT_CODE_FORMAT",
      "Characters 3 to 8 of a unified social credit code are digits (the administrative division code).",
    );
  }

  // The organisation code's own check first: when both fail, the typing mistake is in characters 9–17.
  if (carriesOrganisationCode(value) && !isOrganisationCode(value.slice(8, 17))) {
    return fail(
      "CREDIT_CODE_ORGANISATION_CHECK_CHARACTER",
      "The unified social credit code is not valid: the organisation code inside it (characters 9 to 17) fails its own check character (GB 11714). Please check characters 9 to 17 for typing mistakes.",
    );
  }

  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(value[i]) * CREDIT_CODE_WEIGHTS[i];
  // 31 - (sum mod 31) is 31 when the sum is a multiple of 31; the standard writes that as 0.
  const expected = CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
  if (value[17] !== expected) {
    return fail(
      "CREDIT_CODE_CHECK_CHARACTER",
      "The unified social credit code is not valid: its last character does not match the other 17. Please check it for typing mistakes.",
    );
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------------------------------------
// Foreign documents
// ---------------------------------------------------------------------------------------------

/**
 * The 249 officially assigned ISO 3166-1 alpha-2 codes. Reserved and user-assigned codes (EU, UK,
 * XK, ZZ…) and deleted ones (AN, CS, YU…) are not countries that issue passports or keep registers
 * under those codes, so they are left out.
 */
const COUNTRY_CODES: ReadonlySet<string> = new Set(
  `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
   BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
   CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
   DE DJ DK DM DO DZ
   EC EE EG EH ER ES ET
   FI FJ FK FM FO FR
   GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
   HK HM HN HR HT HU
   ID IE IL IM IN IO IQ IR IS IT
   JE JM JO JP
   KE KG KH KI KM KN KP KR KW KY KZ
   LA LB LC LI LK LR LS LT LU LV LY
   MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
   NA NC NE NF NG NI NL NO NP NR NU NZ
   OM
   PA PE PF PG PH PK PL PM PN PR PS PT PW PY
   QA
   RE RO RS RU RW
   SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
   TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
   UA UG UM US UY UZ
   VA VC VE VG VI VN VU
   WF WS
   YE YT
   ZA ZM ZW`.split(/\s+/),
);

/**
 * Whether `code` is an officially assigned ISO 3166-1 alpha-2 country code, in its canonical
 * upper-case form (`"de"` is not; the validators below upper-case before they ask).
 *
 * @example
 * isCountryCode("DE"); // → true
 * isCountryCode("XK"); // → false: user-assigned, not an ISO 3166-1 assignment
 */
export function isCountryCode(code: string): boolean {
  return typeof code === "string" && COUNTRY_CODES.has(code);
}

const normaliseCountry = (country: string) => (typeof country === "string" ? asciiUpper(country.trim()) : "");

/**
 * Validates a foreign passport for real-name certification of a natural person.
 *
 * The number is 5–20 letters and digits; spaces are removed and letters upper-cased. The issuing
 * country must be an ISO 3166-1 alpha-2 code and must not be CN: a citizen of the People's Republic
 * of China certifies with the resident ID number, which is checked against the national register.
 * Hong Kong (HK), Macao (MO) and Taiwan (TW) have their own ISO codes and are accepted here; whether
 * their residents should use a residence permit instead is a policy for the caller.
 *
 * @param document the passport number and issuing country
 * @returns the normalised `{ number, country }`, or a failure coded `COUNTRY_UNKNOWN`,
 *   `PASSPORT_COUNTRY_CN` or `PASSPORT_NUMBER_FORMAT`
 * @example
 * validatePassport({ number: "c01x 00t47", country: "de" });
 * // → { ok: true, value: { number: "C01X00T47", country: "DE" } }
 * validatePassport({ number: "E12345678", country: "CN" });
 * // → { ok: false, code: "PASSPORT_COUNTRY_CN", message: "…" }
 */
export function validatePassport(
  document: ForeignDocument,
): ValidationResult<ForeignDocument, Record<never, never>, PassportErrorCode> {
  const country = normaliseCountry(document?.country);
  if (!isCountryCode(country)) {
    return fail("COUNTRY_UNKNOWN", "The issuing country is not an ISO 3166-1 two-letter country code.");
  }
  if (country === "CN") {
    return fail(
      "PASSPORT_COUNTRY_CN",
      "Citizens of the People's Republic of China certify with their resident ID number, not a passport.",
    );
  }
  const raw = document.number;
  const number = typeof raw === "string" ? asciiUpper(raw.replace(/\s+/g, "")) : "";
  if (!/^[A-Z0-9]{5,20}$/.test(number)) {
    return fail("PASSPORT_NUMBER_FORMAT", "A passport number consists of 5 to 20 letters and digits.");
  }
  return { ok: true, value: { number, country } };
}

/**
 * Validates the registration number of a company registered outside the People's Republic of China.
 *
 * The number is 2–40 characters of Latin letters, digits, spaces, `-`, `/` and `.`, with at least one
 * letter or digit. Only Latin letters are allowed so that look-alike letters from other scripts
 * cannot make one registration appear as two. The value is trimmed, runs of spaces are collapsed and
 * letters are upper-cased, so that the same registration typed twice compares equal. The country must
 * be an ISO 3166-1 alpha-2 code other than CN: organisations registered in China certify with their
 * unified social credit code.
 *
 * @param registration the registration number and the country of the register
 * @returns the normalised `{ number, country }`, or a failure coded `COUNTRY_UNKNOWN`,
 *   `REGISTRATION_COUNTRY_CN` or `REGISTRATION_NUMBER_FORMAT`
 * @example
 * validateForeignRegistration({ number: " hrb  86891 ", country: "DE" });
 * // → { ok: true, value: { number: "HRB 86891", country: "DE" } }
 * validateForeignRegistration({ number: "91350100M000100Y43", country: "CN" });
 * // → { ok: false, code: "REGISTRATION_COUNTRY_CN", message: "…" }
 */
export function validateForeignRegistration(
  registration: ForeignDocument,
): ValidationResult<ForeignDocument, Record<never, never>, ForeignRegistrationErrorCode> {
  const country = normaliseCountry(registration?.country);
  if (!isCountryCode(country)) {
    return fail("COUNTRY_UNKNOWN", "The country of registration is not an ISO 3166-1 two-letter country code.");
  }
  if (country === "CN") {
    return fail(
      "REGISTRATION_COUNTRY_CN",
      "Organisations registered in the People's Republic of China certify with their unified social credit code.",
    );
  }
  const raw = registration.number;
  const number = typeof raw === "string" ? asciiUpper(raw.trim().replace(/ {2,}/g, " ")) : "";
  if (!/^[A-Z0-9 ./-]{2,40}$/.test(number) || !/[A-Z0-9]/.test(number)) {
    return fail(
      "REGISTRATION_NUMBER_FORMAT",
      "A company registration number consists of 2 to 40 Latin letters, digits, spaces, hyphens, slashes and full stops.",
    );
  }
  return { ok: true, value: { number, country } };
}
