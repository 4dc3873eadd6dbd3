// Build step: cache date-holidays' England and Wales bank holidays for 2000-2075 next to
// the built dates module, so a run does not pay ~80 ms to load the library. The library
// stays the source: test/dates.test.ts checks this table against it.
import { writeFileSync } from "node:fs";
import { bankHolidaysFromLibrary } from "../dist/engine/dates.js";

const table = {};
for (let year = 2000; year <= 2075; year++) table[year] = bankHolidaysFromLibrary(year);
writeFileSync(new URL("../dist/engine/bank-holidays.json", import.meta.url), `${JSON.stringify(table)}\n`);
