// Drives Debian's headless Chromium with playwright-core: opens the example
// page, clicks a button, waits until the Sentry SDK's error envelope was
// answered, takes a screenshot and prints a JSON report on stdout.
//
//   node drive.cjs <options.json>
//
// options: playwrightCore (the module folder), executablePath, userDataDir,
// url, click (CSS selector), envelopeUrl (prefix of the SDK's POST), status
// (selector of the page's status line), screenshot (PNG path), timeoutMs.
// Every wait has a timeout; only 127.0.0.1 is reachable (host resolver rule).
"use strict";
const fs = require("fs");

// What happened, printed on success and failure alike.
const report = { requests: [], console: [], pageErrors: [], envelope: null };

async function main() {
  const o = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const { chromium } = require(o.playwrightCore);
  const context = await chromium.launchPersistentContext(o.userDataDir, {
    executablePath: o.executablePath,
    headless: true,
    timeout: o.timeoutMs,
    viewport: { width: 900, height: 500 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Nothing but loopback, whatever the page asks for.
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ],
  });
  try {
    context.setDefaultTimeout(o.timeoutMs);
    const page = context.pages()[0] || (await context.newPage());
    page.on("request", (r) => report.requests.push(`${r.method()} ${r.url()}`));
    page.on("console", (m) => report.console.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => report.pageErrors.push(String(e && e.stack ? e.stack : e)));

    await page.goto(o.url, { waitUntil: "load" });
    await page.waitForSelector(o.click, { state: "visible" });
    const envelope = page.waitForResponse(
      (r) =>
        r.url().startsWith(o.envelopeUrl) &&
        r.request().method() === "POST" &&
        (r.request().postData() || "").includes('"type":"event"'),
    );
    await page.click(o.click);
    const response = await envelope;
    report.envelope = { url: response.url(), status: response.status(), body: await response.text() };
    // The page shows the event id once the SDK sent it.
    if (o.status) {
      await page.waitForFunction(
        (sel) => /event [0-9a-f]{32}/.test(document.querySelector(sel)?.textContent || ""),
        o.status,
      );
      report.status = await page.textContent(o.status);
    }
    await page.screenshot({ path: o.screenshot, fullPage: true });
  } finally {
    await context.close();
  }
  process.stdout.write(JSON.stringify(report) + "\n");
}

main().catch((e) => {
  process.stderr.write(`drive.cjs: ${e && e.stack ? e.stack : e}\n`);
  process.stderr.write(`drive.cjs: so far: ${JSON.stringify(report)}\n`);
  process.exit(1);
});
