// Build step: England and Wales bank holidays for every year of HOLIDAY_YEARS (1990-2100),
// written next to the built dates module, dist/engine/bank-holidays.json. The table is the
// program's only source at run time: date-holidays (and its 13 dependencies, ~40 MB) is a
// development dependency, used here and by test/dates.test.ts, which holds the table to it.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { HOLIDAY_YEARS } from "../dist/flow/calendar.js";

const require = createRequire(import.meta.url);
/** England and Wales share one set of bank holidays; the library's ENG and WLS data agree. */
let library;

/** The bank holidays date-holidays gives for YEAR, as the table keeps them: sorted, with names. */
export function bankHolidaysFromLibrary(year) {
  if (!library) {
    const Holidays = require("date-holidays");
    library = new Holidays("GB", "ENG", { languages: "en" });
  }
  return (
    library
      .getHolidays(year, "en")
      // Only "public" entries are bank holidays; substitute days come as their own "public"
      // entries (substitute: true). Mother's Day, Easter Sunday etc. are "observance".
      .filter((h) => h.type === "public")
      .map((h) => ({ date: h.date.slice(0, 10), name: h.name }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  );
}

export function bankHolidayTable() {
  const table = {};
  for (let year = HOLIDAY_YEARS.first; year <= HOLIDAY_YEARS.last; year++)
    table[year] = bankHolidaysFromLibrary(year);
  return table;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(
    new URL("../dist/engine/bank-holidays.json", import.meta.url),
    `${JSON.stringify(bankHolidayTable())}\n`,
  );
}
