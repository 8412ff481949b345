import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { chromiumDescribe, launchChromium } from '../support/chromium';
import { type Stack, startStack } from '../support/stack';
import { required } from '../../shared/src/runtime/required';

// The IDE must work with the gateway as its only server.
const SCREENSHOT = path.join(PROJECT_ROOT, 'tmp', 'screenshots', 'ide.png');
const describeInChromium = chromiumDescribe('the IDE browser test');

describeInChromium('the in-browser IDE, in headless Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('offers every named operation as a tab and has the headers editor and the docs pane', async () => {
    await page.goto(new URL('/', stack.gatewayUrl).toString());
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 30_000 });
    const tabs = await page.locator('.graphiql-tab').allInnerTexts();
    const names = fs
      .readdirSync(path.join(PROJECT_ROOT, 'operations'))
      .filter((f) => f.endsWith('.graphql'))
      .map(
        (f) =>
          required(
            /query (\w+)/.exec(fs.readFileSync(path.join(PROJECT_ROOT, 'operations', f), 'utf8')),
            `a named query in ${f}`,
          )[1],
      );
    for (const name of names) expect(tabs.some((t) => t.includes(name))).toBe(true);
    await expect(
      page.locator('[data-name="headers"], .graphiql-editor-tool button:has-text("Headers")').count(),
    ).resolves.toBeGreaterThan(0);
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor({ timeout: 10_000 });
  });

  it('runs the selected query and shows its answer, loading nothing from elsewhere', async () => {
    // The IDE opened at the root in the test above; the selected tab gets a query whose answer is known.
    const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await editor.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      () => document.querySelectorAll('.graphiql-tab').length > 0 || document.querySelector('.graphiql-editors'),
    );
    await page.evaluate(() => {
      const cm = (
        document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } }
      ).CodeMirror;
      cm.setValue(
        '{ country(code: "SEN") { name nameFr: name(lang: FR) organizationMemberships(asOf: "2024-06-30") { organization { code } from } } }',
      );
    });
    // GraphiQL re-reads the operation name from the edited document after a short debounce; a
    // click before that would send the previous tab's operation name.
    await page.waitForTimeout(1000);
    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response .CodeMirror');
    await page.waitForFunction(
      () => (document.querySelector('.graphiql-response .CodeMirror') as HTMLElement | null)?.innerText.includes('Sénégal'),
      undefined,
      { timeout: 30_000 },
    );
    const text = (await response.innerText()).replace(/\s+/g, '');
    const json = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
    expect(JSON.parse(json)).toEqual({
      data: {
        country: {
          name: 'Senegal',
          nameFr: 'Sénégal',
          organizationMemberships: [{ organization: { code: 'ECOWAS' }, from: '1975-05-28' }],
        },
      },
    });
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    const origin = new URL(stack.gatewayUrl).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
