import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../src/io/paths.js";
import { PROBLEMS, say } from "../src/words/problems.js";

// Every problem a person meets is said through the catalogue (src/words/problems.ts), so
// the same thing is always said the same way: no message is written where it is raised.
const src = join(packageRoot, "src");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Whether an expression is, or may be (a branch of `?:` or `??`/`||`), words written in place. */
function written(e: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(e)) return written(e.expression);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isTemplateExpression(e))
    return true;
  if (ts.isConditionalExpression(e)) return written(e.whenTrue) || written(e.whenFalse);
  if (ts.isBinaryExpression(e)) return written(e.left) || written(e.right);
  return false;
}

/** Functions that say what is wrong with something, as their returned words. */
const SAYERS = /^(validateValue|checkValue|dateDoubt|\w+Problem)$/;
/** ...but these only pass on words said elsewhere: a problem formatted, redacted, or a system error's code in words. */
const PASSERS = new Set(["formatProblem", "redactProblem", "fsProblem"]);

/**
 * Where a message is given in place: the message of problemAt (its third argument), of an
 * InputError or UsageError (the first), of a problem object (`message:`, `problem:`), a
 * `message` worked out before it is raised, and the words a *Problem or validateValue
 * function returns.
 */
function inPlace(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const report = (e: ts.Node) =>
    out.push(`${file}:${source.getLineAndCharacterOfPosition(e.getStart()).line + 1}  ${e.getText()}`);
  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "problemAt"
    ) {
      const m = node.arguments[2];
      if (m && written(m)) report(m);
    }
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ["InputError", "UsageError"].includes(node.expression.text)
    ) {
      const m = node.arguments?.[0];
      if (m && written(m)) report(m);
    }
    if (
      ts.isPropertyAssignment(node) &&
      ts.isIdentifier(node.name) &&
      ["message", "problem"].includes(node.name.text)
    )
      if (written(node.initializer)) report(node.initializer);
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === "message" &&
      node.initializer &&
      written(node.initializer)
    )
      report(node.initializer);
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isIdentifier(node.left) &&
      node.left.text === "message" &&
      written(node.right)
    )
      report(node.right);
    if (ts.isReturnStatement(node) && node.expression && written(node.expression)) {
      let fn: ts.Node | undefined = node.parent;
      while (fn && !ts.isFunctionDeclaration(fn)) fn = fn.parent;
      const name = fn && ts.isFunctionDeclaration(fn) ? fn.name?.text : undefined;
      if (name && SAYERS.test(name) && !PASSERS.has(name)) report(node.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

describe("the problem catalogue", () => {
  const sources = files(src).map((f) => ({ file: relative(packageRoot, f), text: readFileSync(f, "utf8") }));

  it("no problem is worded where it is raised: problemAt, InputError, UsageError and problem messages come from say", () => {
    const found = sources.flatMap((s) => inPlace(s.file, s.text));
    expect(found).toEqual([]);
  });

  it("the check sees a message written in place, in every form it looks for", () => {
    // One snippet a line (a template literal, so that `\${` stays source text).
    const snippets = (text: string) => text.trim().split("\n");
    const bad = snippets(`
problemAt(source, ["x"], "a message");
problemAt(source, path, \`unknown \${x}\`);
throw new InputError(ok ? say.noSchema(x) : "written here");
throw new UsageError(\`--x \${y}\`);
problems.push({ file, message: \`no \${x}\` });
return { variants: [], problem: \`\${p}: nests\` };
if (x) message = "no such file";
const message = x ? \`unknown filter \${x}\` : y;
function rowProblem(q) { if (q) return \`\${q} is typed\`; return undefined; }
`);
    for (const line of bad) expect(inPlace("x.ts", line), line).toHaveLength(1);
    const good = snippets(`
problemAt(source, ["x"], say.unknown("fact", id, hint));
throw new InputError(why);
throw new InputError(say.problemList(what, n), problems);
problems.push({ file, message: celMessage(error) });
function rowProblem(q) { return q ? say.rowTyped(q, t) : undefined; }
function words(q) { return \`\${q} and more\`; }
`);
    for (const line of good) expect(inPlace("x.ts", line), line).toEqual([]);
  });

  it("every kind is said somewhere, and says where it is found and what rule it enforces", () => {
    const code = sources
      .filter((s) => !s.file.endsWith(join("words", "problems.ts")))
      .map((s) => s.text)
      .join("\n");
    const unused = Object.keys(PROBLEMS).filter((k) => !code.includes(`say.${k}(`));
    expect(unused).toEqual([]);
    for (const [k, kind] of Object.entries(PROBLEMS)) {
      expect(kind.rule.length, k).toBeGreaterThan(10);
      expect(kind.where, k).toMatch(/^(flow|case|cli|session|files|lexicon|scenario)$/);
    }
  });

  it("the same thing is said the same way: a date, wherever it is given", () => {
    expect(say.notADate("31/02/2026")).toBe('"31/02/2026" is not a date (use YYYY-MM-DD)');
    expect(say.optionNotADate("--date", "31/02/2026")).toBe(`--date ${say.notADate("31/02/2026")}`);
    expect(say.scenarioToday("s.yaml", "x")).toBe(`s.yaml: today: ${say.notADate("x")}`);
    expect(say.problemList("the case file c.yaml", 1)).toBe("the case file c.yaml has 1 problem:");
    expect(say.unknown("contact", "mash", '; did you mean "MASH"?', "not in locality.yaml")).toBe(
      'unknown contact "mash" (not in locality.yaml); did you mean "MASH"?',
    );
    expect(say.unknown("fact", "x.y")).toBe('unknown fact "x.y"');
  });
});
