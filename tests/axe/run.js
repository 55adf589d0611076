// axe-core in headless Chromium on each page given: WCAG 2.1 A and AA, plus what a
// phone shows (no horizontal scroll at 320 px). Prints one JSON object on stdout:
// {"pages": [{"page", "violations": [...], "overflow": px}]}.
// Usage: node run.js CHROMIUM PAGE.html...
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { chromium } = require("playwright-core");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
// As root and in CI, Chromium needs no sandbox; nothing of its own goes to the network.
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function check(context, file) {
  const page = await context.newPage();
  await page.goto("file://" + path.resolve(file));
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    TAGS,
  );
  await page.setViewportSize({ width: 320, height: 640 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  await page.close();
  return {
    page: file,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary),
    })),
    passes: result.passes.length,
    overflow,
  };
}

async function main() {
  const [executable, ...files] = process.argv.slice(2);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "beslutsdoc-axe-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  try {
    const pages = [];
    for (const file of files) pages.push(await check(context, file));
    process.stdout.write(JSON.stringify({ pages }) + "\n");
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
