import { configDefaults, defineConfig } from "vitest/config";

/**
 * The release checks: the single executable (built by the test, minutes), the npm package
 * installed from its tarball, and the build run by another Node (Node 24 fetched from the
 * registry, as the executable's is). `npm run check` (CI) runs them with everything else;
 * `npm run check:fast`, a developer's inner loop, runs only the project "fast".
 */
const RELEASE = ["test/binary.test.ts", "test/package.test.ts", "test/other-node.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Every fast-check property on a fixed seed (FC_SEED=n for another): test/support/fast-check-seed.ts.
    setupFiles: ["./test/support/fast-check-seed.ts", "./test/support/data-folder.ts"],
    pool: "forks",
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "fast",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...RELEASE],
        },
      },
      { extends: true, test: { name: "release", include: RELEASE } },
    ],
  },
});
