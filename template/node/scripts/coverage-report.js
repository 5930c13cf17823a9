// `make coverage`: combines the coverage of CI's test pieces (coverage-data/<piece>/, written
// by `make ci-unit` and `make ci-integration`), prints the summary, writes the Cobertura report
// and applies jest.config.js's thresholds once, to the whole.
const fs = require("node:fs");
const path = require("node:path");
const libCoverage = require("istanbul-lib-coverage");
const libReport = require("istanbul-lib-report");
const reports = require("istanbul-reports");
const { coverageThreshold } = require("../jest.config.js");

const PIECES = "coverage-data";

/** A piece's coverage, its files renamed from the folder it ran in to this one. */
function readPiece(folder) {
  const ranIn = fs.readFileSync(path.join(folder, "folder"), "utf8").trim();
  const coverage = JSON.parse(fs.readFileSync(path.join(folder, "coverage-final.json"), "utf8"));
  return Object.values(coverage).map((file) => ({
    ...file,
    path: path.resolve(path.relative(ranIn, file.path)),
  }));
}

const folders = fs.existsSync(PIECES)
  ? fs
      .readdirSync(PIECES)
      .map((name) => path.join(PIECES, name))
      .filter((folder) => fs.existsSync(path.join(folder, "coverage-final.json")))
  : [];
if (folders.length === 0) {
  console.error(`No coverage in ${PIECES}/: run \`make ci-unit\` and \`make ci-integration\` first.`);
  process.exit(1);
}

const coverageMap = libCoverage.createCoverageMap({});
for (const folder of folders) {
  for (const file of readPiece(folder)) coverageMap.merge({ [file.path]: file });
}
const context = libReport.createContext({ dir: "coverage", coverageMap });
for (const reporter of ["text-summary", "cobertura"]) reports.create(reporter).execute(context);

const summary = coverageMap.getCoverageSummary();
const misses = Object.entries(coverageThreshold.global)
  .filter(([metric, minimum]) => summary[metric].pct < minimum)
  .map(([metric, minimum]) => `${metric} ${summary[metric].pct}% < ${minimum}%`);
if (misses.length > 0) {
  console.error(`Coverage below the threshold (${folders.length} pieces combined): ${misses.join(", ")}`);
  process.exitCode = 1;
}
