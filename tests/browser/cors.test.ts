import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { chromiumDescribe, launchChromium } from '../support/chromium';
import { listen } from '../../shared/src/runtime/http';
import { sqlStatements } from '../../shared/src/data/dataSource';
import { type Stack, startStack } from '../support/stack';

// A partner's web page served on one local port calls the gateway on another, through fetch in
// Debian's Chromium: the browser, not the test, decides whether the page may read the answer.
const SCREENSHOTS = path.join(PROJECT_ROOT, 'tmp', 'screenshots');
const describeInChromium = chromiumDescribe('the CORS browser test');

/** The partner's page: `callGateway` POSTs a query as JSON and shows what came back, or that the call failed. */
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Partner dashboard</title></head>
<body>
<h1>Partner dashboard</h1>
<p id="origin"></p>
<pre id="out">no call yet</pre>
<script>
document.getElementById('origin').textContent = 'This page: ' + location.origin;
window.callGateway = async (url, query) => {
  const out = document.getElementById('out');
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = await res.json();
    out.textContent = 'Answer from ' + url + ':\\n' + JSON.stringify(body, null, 2);
    return { ok: true, status: res.status, body };
  } catch (error) {
    out.textContent = 'The browser refused the call to ' + url + ':\\n' + error;
    return { ok: false, error: String(error) };
  }
};
</script>
</body>
</html>
`;

async function servePage(): Promise<{ server: http.Server; origin: string }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  return { server, origin: `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}` };
}

type CallResult = { ok: true; status: number; body: unknown } | { ok: false; error: string };

describeInChromium('a web page on another origin calling the gateway, in headless Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let allowed: { server: http.Server; origin: string };
  let refused: { server: http.Server; origin: string };

  beforeAll(async () => {
    allowed = await servePage();
    refused = await servePage();
    // Only the first page's origin is listed; the second differs from it by its port alone.
    stack = await startStack({ corsOrigins: [allowed.origin] });
    browser = await launchChromium();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    allowed?.server.close();
    refused?.server.close();
  });

  async function callFrom(origin: string, screenshot: string) {
    const page = await browser.newPage({ viewport: { width: 900, height: 500 } });
    const console: string[] = [];
    page.on('console', (message) => console.push(message.text()));
    await page.goto(`${origin}/`);
    const before = sqlStatements.count;
    const result = await page.evaluate(
      ([url, query]) => (window as unknown as { callGateway(u: string, q: string): Promise<CallResult> }).callGateway(url, query),
      [stack.gatewayUrl, '{ instrument(code: "ICRMW") { shortTitle } }'] as const,
    );
    const sql = sqlStatements.count - before;
    await page.screenshot({ path: path.join(SCREENSHOTS, screenshot) });
    await page.close();
    return { result, sql, console };
  }

  it('lets a page on an allowed origin read the answer', async () => {
    const { result, sql } = await callFrom(allowed.origin, 'cors-allowed.png');
    expect(result).toEqual({
      ok: true,
      status: 200,
      body: { data: { instrument: { shortTitle: 'Migrant Workers Convention' } } },
    });
    // The query ran in the legal-instruments service: the count below can tell a query that ran.
    expect(sql).toBeGreaterThan(0);
    expect(fs.statSync(path.join(SCREENSHOTS, 'cors-allowed.png')).size).toBeGreaterThan(5_000);
  });

  it('makes fetch reject on a page of an origin not listed, and the query never runs', async () => {
    const { result, sql, console } = await callFrom(refused.origin, 'cors-refused.png');
    expect(result).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
    // The preflight found no Access-Control-Allow-Origin, so the browser never sent the POST.
    expect(sql).toBe(0);
    expect(console.some((line) => line.includes('blocked by CORS policy'))).toBe(true);
    expect(fs.statSync(path.join(SCREENSHOTS, 'cors-refused.png')).size).toBeGreaterThan(5_000);
  });
});
