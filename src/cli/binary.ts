// The entry of the single executable (scripts/build-binary.mjs bundles it to one CommonJS
// file): bin/safeguard.js without top-level await, which a CommonJS bundle cannot have.
import { main } from "./main.js";

main(process.argv).then((code) => {
  process.exitCode = code;
});
