import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import {
  addCalendarDays,
  addWeeks,
  addWorkingDays,
  addYearsMonths,
  ageOn,
  bankHolidayName,
  bankHolidays,
  compareIso,
  daysBetween,
  formatLong,
  HOLIDAY_YEARS,
  isIsoDate,
  isWorkingDay,
  maxIso,
  minIso,
  nonWorkingReason,
  workingDaysBetween,
} from "../src/engine/dates.js";
import { InputError } from "../src/errors.js";
import { packageRoot } from "../src/io/paths.js";

const datesOf = (year: number) => bankHolidays(year).map((h) => h.date);

describe("isIsoDate", () => {
  it("accepts real calendar dates", () => {
    expect(isIsoDate("2026-08-31")).toBe(true);
    expect(isIsoDate("2028-02-29")).toBe(true);
    expect(isIsoDate("2000-02-29")).toBe(true);
  });

  it("rejects impossible dates", () => {
    expect(isIsoDate("2026-02-31")).toBe(false);
    expect(isIsoDate("2026-02-29")).toBe(false);
    expect(isIsoDate("1900-02-29")).toBe(false);
    expect(isIsoDate("2026-04-31")).toBe(false);
    expect(isIsoDate("2026-13-01")).toBe(false);
    expect(isIsoDate("2026-00-10")).toBe(false);
    expect(isIsoDate("2026-01-00")).toBe(false);
  });

  it("rejects anything but strict YYYY-MM-DD", () => {
    for (const s of [
      "2026-8-31",
      "26-08-31",
      "2026/08/31",
      "2026-08-31T00:00:00Z",
      " 2026-08-31",
      "",
      "31/08/2026",
    ]) {
      expect(isIsoDate(s), s).toBe(false);
    }
  });
});

describe("bankHolidays (England and Wales)", () => {
  it("lists the 2026 bank holidays, sorted, with names", () => {
    expect(bankHolidays(2026)).toEqual([
      { date: "2026-01-01", name: "New Year's Day" },
      { date: "2026-04-03", name: "Good Friday" },
      { date: "2026-04-06", name: "Easter Monday" },
      { date: "2026-05-04", name: "Early May bank holiday" },
      { date: "2026-05-25", name: "Spring bank holiday" },
      { date: "2026-08-31", name: "Summer bank holiday" },
      { date: "2026-12-25", name: "Christmas Day" },
      { date: "2026-12-26", name: "Boxing Day" },
      { date: "2026-12-28", name: "Boxing Day (substitute day)" },
    ]);
  });

  it("has Easter 2027 on 26 and 29 March", () => {
    expect(datesOf(2027)).toContain("2027-03-26");
    expect(datesOf(2027)).toContain("2027-03-29");
    expect(isWorkingDay("2027-03-26")).toBe(false);
    expect(isWorkingDay("2027-03-29")).toBe(false);
  });

  it("has both Christmas 2027 substitutes, Monday 27 and Tuesday 28 December", () => {
    expect(bankHolidayName("2027-12-27")).toBe("Christmas Day (substitute day)");
    expect(bankHolidayName("2027-12-28")).toBe("Boxing Day (substitute day)");
    expect(isWorkingDay("2027-12-27")).toBe(false);
    expect(isWorkingDay("2027-12-28")).toBe(false);
    expect(isWorkingDay("2027-12-29")).toBe(true);
  });

  it("has New Year's Day 2027 on the Friday and the 2028 substitute on Monday 3 January", () => {
    expect(bankHolidayName("2027-01-01")).toBe("New Year's Day");
    expect(bankHolidayName("2028-01-03")).toBe("New Year's Day (substitute day)");
    expect(isWorkingDay("2028-01-03")).toBe(false);
    expect(isWorkingDay("2028-01-04")).toBe(true);
  });

  it("excludes observances such as Mother's Day and Easter Sunday", () => {
    const names = [2026, 2027, 2028].flatMap((y) => bankHolidays(y).map((h) => h.name));
    expect(names).not.toContain("Mother's Day");
    expect(names).not.toContain("Easter Sunday");
    expect(names).not.toContain("Father's Day");
  });

  it("excludes the Scottish-only holidays (2 January, St Andrew's Day)", () => {
    expect(isWorkingDay("2026-01-02")).toBe(true); // Friday
    expect(isWorkingDay("2026-11-30")).toBe(true); // Monday
    expect(isWorkingDay("2027-11-30")).toBe(true); // Tuesday
    expect(datesOf(2027)).not.toContain("2027-01-02");
  });

  it("includes one-off bank holidays the library knows about", () => {
    expect(bankHolidayName("2022-09-19")).toBe("Queen Elizabeth's Funeral Day");
    expect(bankHolidayName("2023-05-08")).toBe("King Charles III's Coronation");
  });

  it("returns copies, so callers cannot corrupt the cache", () => {
    const list = bankHolidays(2026);
    list.length = 0;
    expect(bankHolidays(2026)).toHaveLength(9);
  });

  it("rejects a non-integer year", () => {
    expect(() => bankHolidays(2026.5)).toThrow(RangeError);
  });
});

describe("isWorkingDay / nonWorkingReason", () => {
  it("treats 2026 bank holidays as non-working days", () => {
    for (const d of ["2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31"]) {
      expect(isWorkingDay(d), d).toBe(false);
    }
    expect(nonWorkingReason("2026-08-31")).toBe("Summer bank holiday");
    expect(nonWorkingReason("2026-04-03")).toBe("Good Friday");
  });

  it("treats Christmas 2026 and the Monday 28 December substitute as non-working", () => {
    expect(isWorkingDay("2026-12-24")).toBe(true);
    expect(isWorkingDay("2026-12-25")).toBe(false);
    expect(isWorkingDay("2026-12-28")).toBe(false);
    expect(nonWorkingReason("2026-12-28")).toBe("Boxing Day (substitute day)");
    expect(isWorkingDay("2026-12-29")).toBe(true);
  });

  it("reports weekends as 'weekend', even when a holiday falls on them", () => {
    expect(nonWorkingReason("2026-08-29")).toBe("weekend");
    expect(nonWorkingReason("2026-12-26")).toBe("weekend"); // Boxing Day on a Saturday
    expect(nonWorkingReason("2026-08-27")).toBeUndefined();
  });

  it("treats ordinary weekdays as working days", () => {
    expect(isWorkingDay("2026-08-27")).toBe(true);
    expect(isWorkingDay("2026-09-01")).toBe(true);
  });

  it("throws on an invalid date", () => {
    expect(() => isWorkingDay("2026-02-31")).toThrow(RangeError);
  });
});

describe("addWorkingDays", () => {
  it("3 working days from Thu 2026-08-27 is Wed 2026-09-02, explaining the skipped days", () => {
    expect(addWorkingDays("2026-08-27", 3)).toEqual({
      date: "2026-09-02",
      skipped: [
        { date: "2026-08-29", reason: "weekend" },
        { date: "2026-08-30", reason: "weekend" },
        { date: "2026-08-31", reason: "Summer bank holiday" },
      ],
    });
  });

  it("15 working days from 2026-08-27 is 2026-09-18", () => {
    expect(addWorkingDays("2026-08-27", 15).date).toBe("2026-09-18");
  });

  it("15 working days from 2026-12-17 is 2027-01-12, across Christmas and New Year", () => {
    const { date, skipped } = addWorkingDays("2026-12-17", 15);
    expect(date).toBe("2027-01-12");
    expect(skipped.filter((s) => s.reason !== "weekend")).toEqual([
      { date: "2026-12-25", reason: "Christmas Day" },
      { date: "2026-12-28", reason: "Boxing Day (substitute day)" },
      { date: "2027-01-01", reason: "New Year's Day" },
    ]);
    expect(skipped.filter((s) => s.reason === "weekend")).toHaveLength(8);
  });

  it("1 working day from Mon 2026-11-23 is Tue 2026-11-24, skipping nothing", () => {
    expect(addWorkingDays("2026-11-23", 1)).toEqual({ date: "2026-11-24", skipped: [] });
  });

  it("counts from a Friday over the weekend", () => {
    expect(addWorkingDays("2026-11-20", 1)).toEqual({
      date: "2026-11-23",
      skipped: [
        { date: "2026-11-21", reason: "weekend" },
        { date: "2026-11-22", reason: "weekend" },
      ],
    });
    expect(addWorkingDays("2026-08-28", 1).date).toBe("2026-09-01");
  });

  it("counts from a bank holiday or weekend start day without counting it", () => {
    expect(addWorkingDays("2026-08-31", 1)).toEqual({ date: "2026-09-01", skipped: [] });
    expect(addWorkingDays("2026-12-25", 1).date).toBe("2026-12-29");
    expect(addWorkingDays("2026-08-29", 1).date).toBe("2026-09-01");
  });

  it("n = 0 returns the start date itself, even if it is not a working day", () => {
    expect(addWorkingDays("2026-08-27", 0)).toEqual({ date: "2026-08-27", skipped: [] });
    expect(addWorkingDays("2026-08-31", 0)).toEqual({ date: "2026-08-31", skipped: [] });
  });

  it("rejects a negative or fractional n and an invalid date", () => {
    expect(() => addWorkingDays("2026-08-27", -1)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-08-27", 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-02-30", 1)).toThrow(RangeError);
  });
});

describe("workingDaysBetween", () => {
  it("counts the working days after the first date up to and including the second", () => {
    expect(workingDaysBetween("2026-09-11", "2026-09-14")).toBe(1); // Fri to Mon
    expect(workingDaysBetween("2026-09-11", "2026-09-12")).toBe(0); // Fri to Sat
    expect(workingDaysBetween("2026-09-11", "2026-09-11")).toBe(0);
    expect(workingDaysBetween("2026-09-14", "2026-09-11")).toBe(0); // not after: none
    // Skips a bank holiday: Fri 28 Aug to Tue 1 Sep 2026 passes the Summer bank holiday.
    expect(workingDaysBetween("2026-08-28", "2026-09-01")).toBe(1);
    // The inverse of addWorkingDays.
    for (const n of [1, 3, 15])
      expect(workingDaysBetween("2026-12-18", addWorkingDays("2026-12-18", n).date)).toBe(n);
  });
});

describe("addCalendarDays / addWeeks / daysBetween", () => {
  it("adds calendar days across month and year ends", () => {
    expect(addCalendarDays("2026-11-20", 45)).toBe("2027-01-04");
    expect(addCalendarDays("2026-09-02", 15)).toBe("2026-09-17");
    expect(addCalendarDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addCalendarDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addCalendarDays("2026-01-01", -1)).toBe("2025-12-31");
  });

  it("is unaffected by the UK clock changes", () => {
    expect(addCalendarDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addCalendarDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addCalendarDays("2026-10-24", 2)).toBe("2026-10-26");
  });

  it("adds weeks", () => {
    expect(addWeeks("2026-11-02", 12)).toBe("2027-01-25");
    expect(addWeeks("2026-11-02", 0)).toBe("2026-11-02");
  });

  it("agrees with Date.UTC on every day from 1900 to 2100, including weekdays", () => {
    const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    let d = "1900-01-01";
    for (let ms = Date.UTC(1900, 0, 1); ms <= Date.UTC(2100, 11, 31); ms += 86_400_000) {
      const utc = new Date(ms);
      if (
        d !== utc.toISOString().slice(0, 10) ||
        !formatLong(d).startsWith(weekdays[utc.getUTCDay()] ?? "?")
      ) {
        expect(formatLong(d)).toBe(utc.toUTCString());
      }
      d = addCalendarDays(d, 1);
    }
    expect(d).toBe("2101-01-01");
  });

  it("counts days between dates", () => {
    expect(daysBetween("2026-11-20", "2027-01-04")).toBe(45);
    expect(daysBetween("2027-01-04", "2026-11-20")).toBe(-45);
  });
});

describe("addYearsMonths", () => {
  it("adds years and months", () => {
    expect(addYearsMonths("2009-09-14", 17, 6)).toBe("2027-03-14");
    expect(addYearsMonths("2026-11-30", 0, 2)).toBe("2027-01-30");
    expect(addYearsMonths("2026-01-15", 0, -1)).toBe("2025-12-15");
  });

  it("rolls a missing day of the month to the 1st of the next month", () => {
    expect(addYearsMonths("2009-08-31", 0, 6)).toBe("2010-03-01");
    expect(addYearsMonths("2026-01-31", 0, 3)).toBe("2026-05-01");
    expect(addYearsMonths("2027-08-31", 0, 6)).toBe("2028-03-01");
    expect(addYearsMonths("2027-08-30", 0, 6)).toBe("2028-03-01");
    expect(addYearsMonths("2027-08-29", 0, 6)).toBe("2028-02-29");
  });

  it("takes a 29 February birthday as 1 March in non-leap years", () => {
    expect(addYearsMonths("2008-02-29", 18, 0)).toBe("2026-03-01");
    expect(addYearsMonths("2008-02-29", 20, 0)).toBe("2028-02-29");
    expect(addYearsMonths("2000-02-29", 100, 0)).toBe("2100-03-01");
  });
});

describe("ageOn", () => {
  it("computes whole years", () => {
    expect(ageOn("2011-05-19", "2026-08-26")).toBe(15);
    expect(ageOn("2009-09-14", "2026-11-23")).toBe(17);
  });

  it("turns a year older on the birthday itself, not the day before", () => {
    expect(ageOn("2008-09-14", "2026-09-13")).toBe(17);
    expect(ageOn("2008-09-14", "2026-09-14")).toBe(18);
    expect(ageOn("2008-09-14", "2008-09-14")).toBe(0);
  });

  it("makes someone born on 29 February a year older on 1 March in non-leap years", () => {
    expect(ageOn("2008-02-29", "2026-02-28")).toBe(17);
    expect(ageOn("2008-02-29", "2026-03-01")).toBe(18);
    expect(ageOn("2008-02-29", "2028-02-28")).toBe(19);
    expect(ageOn("2008-02-29", "2028-02-29")).toBe(20);
  });

  it("rejects a date before the date of birth", () => {
    expect(() => ageOn("2026-08-27", "2026-08-26")).toThrow(RangeError);
  });
});

describe("compareIso / minIso / maxIso", () => {
  it("orders dates", () => {
    expect(compareIso("2026-08-27", "2026-09-02")).toBe(-1);
    expect(compareIso("2026-09-02", "2026-08-27")).toBe(1);
    expect(compareIso("2026-09-02", "2026-09-02")).toBe(0);
  });

  it("picks the earliest and latest date", () => {
    expect(minIso("2026-09-18", "2026-09-02", "2027-01-12")).toBe("2026-09-02");
    expect(maxIso("2026-09-18", "2026-09-02", "2027-01-12")).toBe("2027-01-12");
    expect(minIso("2026-09-18")).toBe("2026-09-18");
  });

  it("rejects no dates or invalid dates", () => {
    expect(() => minIso()).toThrow(RangeError);
    expect(() => minIso("2026-02-31")).toThrow(RangeError);
    expect(() => compareIso("2026-09-02", "tomorrow")).toThrow(RangeError);
  });
});

describe("formatLong", () => {
  it("formats with fixed English names", () => {
    expect(formatLong("2026-08-31")).toBe("Mon 31 Aug 2026");
    expect(formatLong("2026-09-02")).toBe("Wed 2 Sep 2026");
    expect(formatLong("2027-01-12")).toBe("Tue 12 Jan 2027");
    expect(formatLong("2028-01-02")).toBe("Sun 2 Jan 2028");
    expect(formatLong("2026-11-21")).toBe("Sat 21 Nov 2026");
  });
});

describe("the build's bank-holiday table", () => {
  type Day = { date: string; name: string };
  const script = async () =>
    (await import(pathToFileURL(join(packageRoot, "scripts", "bank-holidays.mjs")).href)) as {
      bankHolidaysFromLibrary: (year: number) => Day[];
    };
  const built = () =>
    JSON.parse(readFileSync(join(packageRoot, "dist", "engine", "bank-holidays.json"), "utf8")) as Record<
      string,
      Day[]
    >;

  it("covers exactly 1990 to 2100, and is what date-holidays says for every one of those years", async () => {
    const { bankHolidaysFromLibrary } = await script();
    const table = built();
    const years = Array.from({ length: 2100 - 1990 + 1 }, (_, i) => String(1990 + i));
    expect(HOLIDAY_YEARS).toEqual({ first: 1990, last: 2100 });
    expect(Object.keys(table)).toEqual(years);
    for (const y of years) {
      const days = table[y] ?? [];
      expect(days, y).toEqual(bankHolidaysFromLibrary(Number(y)));
      // Eight a year at least (New Year's Day to Boxing Day), each a real date of that year.
      expect(days.length, y).toBeGreaterThanOrEqual(8);
      for (const d of days) expect(isIsoDate(d.date) && d.date.startsWith(`${y}-`), d.date).toBe(true);
    }
  });

  it("is all the program asks: the first and last years work, the years either side are refused", () => {
    expect(bankHolidays(1990).map((h) => h.date)).toContain("1990-12-26");
    expect(bankHolidayName("2100-12-28")).toBe("Boxing Day (substitute day)");
    expect(nonWorkingReason("1990-01-01")).toBe("New Year's Day");
    expect(isWorkingDay("2100-12-31")).toBe(true);
    for (const year of [1989, 2101]) {
      const refused = () => bankHolidays(year);
      expect(refused).toThrow(InputError);
      expect(refused).toThrow(
        `reaches ${year}, outside the years whose bank holidays safeguard knows (1990 to 2100)`,
      );
    }
    expect(() => isWorkingDay("1989-12-29")).toThrow(InputError);
    // Counting past the last year, or lateness reaching back before the first, is refused, never guessed.
    expect(addWorkingDays("2100-12-29", 2).date).toBe("2100-12-31");
    expect(() => addWorkingDays("2100-12-29", 3)).toThrow(InputError);
    expect(workingDaysBetween("1990-01-01", "1990-01-03")).toBe(2);
    expect(() => workingDaysBetween("1989-12-27", "1990-01-03")).toThrow(InputError);
  });

  it("is read without date-holidays: a run never loads the library", async () => {
    const { spawnSync } = await import("node:child_process");
    // The built dates module, in a process where date-holidays cannot be found.
    const code = `
      const Module = require("node:module");
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === "date-holidays" || request.startsWith("date-holidays/")) throw new Error("date-holidays was loaded");
        return resolve.call(this, request, ...rest);
      };
      import(${JSON.stringify(pathToFileURL(join(packageRoot, "dist", "engine", "dates.js")).href)}).then((d) =>
        process.stdout.write(JSON.stringify(d.addWorkingDays("2026-12-23", 3))));`;
    const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    // Christmas Day, the weekend and Boxing Day's substitute passed over.
    expect(JSON.parse(r.stdout).date).toBe("2026-12-30");
  });
});
