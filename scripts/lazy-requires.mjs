// A lazy dependency (a package or file loaded only when first needed) is written one way in
// src/: createRequire(import.meta.url)("name"), the name a string literal. Neither bundler
// can follow createRequire, so both rewrite exactly that text to require("name") and bundle
// it (scripts/bundle.mjs, scripts/build-binary.mjs); written any other way, the dependency
// would be left out of the bundle and fail only when it is first needed.
// test/layers.test.ts checks src/ with lazyRequireProblems; the bundlers check what they rewrite.

export const LAZY = "createRequire(import.meta.url)(";

const WAYS = [/^createRequire\(import\.meta\.url\)\("[^"]+"\)/];

/** Each use of createRequire in TEXT (of FILE) not written a way the bundlers see, as "file:line: what to do". */
export function lazyRequireProblems(file, text) {
  const problems = [];
  text.split("\n").forEach((line, i) => {
    if (/^\s*(import\b|\/\/|\*|\/\*)/.test(line)) return;
    for (const m of line.matchAll(/\bcreateRequire\(/g)) {
      const rest = line.slice(m.index);
      if (WAYS.some((way) => way.test(rest))) continue;
      problems.push(
        `${file}:${i + 1}: a lazy dependency is written createRequire(import.meta.url)("name"), in one expression with the name as a string literal, so the bundlers see it and bundle it`,
      );
    }
  });
  return problems;
}

/** TEXT with each lazy require made a plain require(...), which a bundler follows; throws at a problem. */
export function rewriteLazyRequires(file, text) {
  const problems = lazyRequireProblems(file, text);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  return text.replaceAll(LAZY, "require(");
}
