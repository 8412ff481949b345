import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';
import { createIdeRoute, loadIdeTabs } from '../../gateway/src/ide';
import { chromiumDescribe, launchChromium } from '../support/chromium';
import { type BareGateway, startBareGateway } from '../support/bareGateway';
import { type Stack, startStack } from '../support/stack';
import { required } from '../../shared/src/runtime/required';

// The IDE must work with the gateway as its only server.
const SCREENSHOTS = path.join(PROJECT_ROOT, 'tmp', 'screenshots');
const SCREENSHOT = path.join(SCREENSHOTS, 'ide.png');
const describeInChromium = chromiumDescribe('the IDE browser test');
const run = promisify(execFile);

type EditorName = 'query' | 'variables' | 'headers' | 'response';

/** The text of one of GraphiQL's editors (CodeMirror 5 keeps its instance on its element). */
function editorText(page: Page, which: EditorName): Promise<string> {
  return page.evaluate((name) => {
    const el =
      name === 'query'
        ? document.querySelector('.graphiql-query-editor .CodeMirror')
        : name === 'response'
          ? document.querySelector('.graphiql-response .CodeMirror')
          : document.querySelectorAll('.graphiql-editor-tool .graphiql-editor .CodeMirror')[name === 'variables' ? 0 : 1];
    return (el as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue();
  }, which);
}

/** Types into an editor as a paste would: GraphiQL sees the change as the user's. */
async function setEditorText(page: Page, which: EditorName, text: string): Promise<void> {
  await page.evaluate(
    ([name, value]) => {
      const el =
        name === 'query'
          ? document.querySelector('.graphiql-query-editor .CodeMirror')
          : document.querySelectorAll('.graphiql-editor-tool .graphiql-editor .CodeMirror')[name === 'variables' ? 0 : 1];
      (el as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(value);
    },
    [which, text] as const,
  );
  // GraphiQL re-reads the operation name after a short debounce and stores tabs after another.
  await page.waitForTimeout(800);
}

async function openIde(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 30_000 });
}

async function runAndWaitFor(page: Page, text: string): Promise<unknown> {
  await page.locator('.graphiql-execute-button').click();
  await page.waitForFunction(
    (t) => (document.querySelector('.graphiql-response .CodeMirror') as HTMLElement | null)?.innerText.includes(t),
    text,
    { timeout: 30_000 },
  );
  return JSON.parse(await editorText(page, 'response'));
}

async function tabTitles(page: Page): Promise<string[]> {
  return (await page.locator('.graphiql-tab').allInnerTexts()).map((t) => t.trim());
}

/** Clicks the tab titled `title` and waits until it is the active one: under load, the switch lands after the click returns. */
async function selectTab(page: Page, title: string): Promise<void> {
  await page.locator('.graphiql-tab', { hasText: title }).click();
  await page.locator('.graphiql-tab.graphiql-tab-active', { hasText: title }).waitFor({ timeout: 15_000 });
  // The editor takes the tab's text after the tab is marked active; text written before that lands in the tab left.
  await until(async () => (await editorText(page, 'query')).includes(`query ${title}`), `the editor shows ${title}`);
}

/** Opens a new tab and waits until it is there and active, so that what is typed next goes into it. */
async function addTab(page: Page): Promise<void> {
  const before = await page.locator('.graphiql-tab').count();
  const previous = await editorText(page, 'query');
  await page.locator('.graphiql-tab-add').click();
  await page.waitForFunction(
    (n) => {
      const tabs = document.querySelectorAll('.graphiql-tab');
      return tabs.length === n && tabs[n - 1].classList.contains('graphiql-tab-active');
    },
    before + 1,
    { timeout: 15_000 },
  );
  await until(async () => (await editorText(page, 'query')) !== previous, 'the editor shows the new tab');
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The tab titles once they are `expected` (GraphiQL renames a tab after a debounce), or as they are after 15 s. */
async function settledTabTitles(page: Page, expected: string[]): Promise<string[]> {
  const titles = JSON.stringify(expected);
  await page
    .waitForFunction(
      (t) =>
        JSON.stringify([...document.querySelectorAll('.graphiql-tab')].map((e) => (e as HTMLElement).innerText.trim())) === t,
      titles,
      { timeout: 15_000 },
    )
    .catch(() => undefined);
  return tabTitles(page);
}

/** Every key and value the page's origin keeps in localStorage and sessionStorage. */
function browserStorage(page: Page): Promise<[string, string][]> {
  return page.evaluate(() => [
    ...Object.entries(localStorage).map(([k, v]): [string, string] => [`local:${k}`, v]),
    ...Object.entries(sessionStorage).map(([k, v]): [string, string] => [`session:${k}`, v]),
  ]);
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, name);
  await page.screenshot({ path: file });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
}

describeInChromium('the in-browser IDE, in headless Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let ideUrl: string;
  const requests: string[] = [];
  const pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];

  /** A visitor with a browser profile of their own (own storage), who may use the clipboard. */
  async function newVisitor(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ideUrl).origin });
    contexts.push(context);
    const p = await context.newPage();
    p.on('request', (r) => requests.push(r.url()));
    p.on('pageerror', (e) => pageErrors.push(e.message));
    return p;
  }

  beforeAll(async () => {
    stack = await startStack();
    ideUrl = new URL('/', stack.gatewayUrl).toString();
    browser = await launchChromium();
    page = await newVisitor();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await stack?.stop();
  });

  it('offers every named operation as a tab and has the headers editor and the docs pane', async () => {
    await openIde(page, ideUrl);
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

  it('opens on the first named operation with its variables filled, and runs it as is', async () => {
    const first = loadIdeTabs(path.join(PROJECT_ROOT, 'operations'))[0];
    expect({ query: await editorText(page, 'query'), variables: await editorText(page, 'variables') }).toEqual({
      query: first.query,
      variables: required(first.variables, 'the variables of the first named operation'),
    });
    const answer = (await runAndWaitFor(page, '"acronym"')) as { data: { unAgency: { acronym: string } } };
    expect(answer.data.unAgency.acronym).toBe('ILO');
  });

  it('runs the selected query and shows its answer, loading nothing from elsewhere', async () => {
    await setEditorText(
      page,
      'query',
      '{ country(code: "SEN") { name nameFr: name(lang: FR) organizationMemberships(asOf: "2024-06-30") { organization { code } from } } }',
    );
    expect(await runAndWaitFor(page, 'Sénégal')).toEqual({
      data: {
        country: {
          name: 'Senegal',
          nameFr: 'Sénégal',
          organizationMemberships: [{ organization: { code: 'ECOWAS' }, from: '1975-05-28' }],
        },
      },
    });
    await screenshot(page, 'ide.png');
    expect(fs.existsSync(SCREENSHOT)).toBe(true);
    const origin = new URL(stack.gatewayUrl).origin;
    expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('keeps nothing typed in the headers editor in browser storage: not after a query, a reload, or picking it from the history', async () => {
    const visitor = await newVisitor();
    await openIde(visitor, ideUrl);
    const token = await stack.token('partner-in-the-ide', ['partner']);
    await setEditorText(visitor, 'headers', JSON.stringify({ Authorization: `Bearer ${token}` }));
    await setEditorText(visitor, 'query', 'query Leak($code: ID!) { country(code: $code) { code } }');
    await setEditorText(visitor, 'variables', '{ "code": "CIV" }');
    expect(await runAndWaitFor(visitor, '"CIV"')).toEqual({ data: { country: { code: 'CIV' } } });
    // Past GraphiQL's debounce for storing tabs.
    await visitor.waitForTimeout(1000);
    const holdsToken = (entries: [string, string][]) =>
      entries.filter(([, v]) => v.includes(token) || v.includes(token.split('.')[2]) || /bearer/i.test(v)).map(([k]) => k);
    expect(holdsToken(await browserStorage(visitor))).toEqual([]);

    await visitor.reload();
    await visitor.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 30_000 });
    const stored = await browserStorage(visitor);
    expect(holdsToken(stored)).toEqual([]);
    // The history does keep the query itself.
    const history = JSON.parse(
      required(
        stored.find(([k]) => k === 'local:graphiql:queries'),
        'the stored history',
      )[1],
    ) as {
      queries: unknown[];
    };
    expect(history.queries).toEqual([
      {
        query: 'query Leak($code: ID!) { country(code: $code) { code } }',
        variables: '{ "code": "CIV" }',
        operationName: 'Leak',
      },
    ]);

    await visitor.locator('button[aria-label="Show History"]').click();
    await visitor.locator('.graphiql-history-item-label', { hasText: 'Leak' }).first().click();
    expect({ query: await editorText(visitor, 'query'), headers: await editorText(visitor, 'headers') }).toEqual({
      query: 'query Leak($code: ID!) { country(code: $code) { code } }',
      headers: '',
    });
    await screenshot(visitor, 'ide-history.png');
  });

  it('removes the headers an older IDE left in storage as soon as the page opens', async () => {
    const visitor = await newVisitor();
    await openIde(visitor, ideUrl);
    const token = await stack.token('left-behind', ['partner']);
    const headers = JSON.stringify({ Authorization: `Bearer ${token}` });
    await visitor.evaluate((h) => {
      localStorage.setItem('graphiql:headers', h);
      localStorage.setItem('graphiql:queries', JSON.stringify({ queries: [{ query: '{ __typename }', headers: h }] }));
      localStorage.setItem(
        'graphiql:favorites',
        JSON.stringify({ favorites: [{ query: '{ a: __typename }', headers: h, favorite: true }] }),
      );
    }, headers);
    await visitor.reload();
    await visitor.locator('.graphiql-query-editor .CodeMirror').first().waitFor({ timeout: 30_000 });
    const stored = Object.fromEntries(await browserStorage(visitor));
    expect(Object.entries(stored).filter(([, v]) => v.includes(token))).toEqual([]);
    expect({
      headers: stored['local:graphiql:headers'],
      queries: JSON.parse(stored['local:graphiql:queries']),
      favorites: JSON.parse(stored['local:graphiql:favorites']),
    }).toEqual({
      headers: undefined,
      queries: { queries: [{ query: '{ __typename }' }] },
      favorites: { favorites: [{ query: '{ a: __typename }', favorite: true }] },
    });
    expect(await editorText(visitor, 'headers')).toBe('');
  });

  it('copies the operation as a curl command with the token as $TOKEN, which runs as is from a shell', async () => {
    const visitor = await newVisitor();
    await openIde(visitor, ideUrl);
    const token = await stack.token('curl-user', ['partner']);
    await setEditorText(visitor, 'headers', JSON.stringify({ Authorization: `Bearer ${token}` }));
    await setEditorText(visitor, 'query', 'query Named($code: ID!) { country(code: $code) { code name } }');
    await setEditorText(visitor, 'variables', '{"code": "CIV"}');
    await visitor.locator('[data-ide-action="copy-curl"]').click();
    await visitor.locator('[aria-label="Copied the curl command"]').waitFor({ timeout: 10_000 });
    const command = await visitor.evaluate(() => navigator.clipboard.readText());
    expect(command).toBe(
      [
        `curl '${stack.gatewayUrl}'`,
        `-H 'content-type: application/json'`,
        `-H "authorization: Bearer $TOKEN"`,
        `--compressed`,
        `--data-raw '{"query":"query Named($code: ID!) { country(code: $code) { code name } }","variables":{"code":"CIV"},"operationName":"Named"}'`,
      ].join(' \\\n  '),
    );
    await screenshot(visitor, 'ide-curl.png');

    // The command a partner pastes into a terminal: the token comes from the environment.
    const withToken = await run('sh', ['-c', command], { env: { ...process.env, TOKEN: token } });
    expect(JSON.parse(withToken.stdout)).toEqual({ data: { country: { code: 'CIV', name: "Côte d'Ivoire" } } });
    const withBadToken = await run('sh', ['-c', command], { env: { ...process.env, TOKEN: 'not-a-token' } });
    expect((JSON.parse(withBadToken.stdout) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('copies a link that reopens the query with its variables in another browser, without the headers', async () => {
    const visitor = await newVisitor();
    await openIde(visitor, ideUrl);
    const token = await stack.token('link-sharer', ['partner']);
    const query = 'query Shared($code: ID!) { country(code: $code) { code name } }';
    const variables = '{\n  "code": "SEN"\n}';
    await setEditorText(visitor, 'headers', JSON.stringify({ Authorization: `Bearer ${token}` }));
    await setEditorText(visitor, 'query', query);
    await setEditorText(visitor, 'variables', variables);
    await visitor.locator('[data-ide-action="copy-link"]').click();
    await visitor.locator('[aria-label="Copied the link"]').waitFor({ timeout: 10_000 });
    const link = await visitor.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(`${ideUrl}#${new URLSearchParams({ query, variables }).toString()}`);
    expect(link).not.toContain(token.split('.')[2]);

    const friend = await newVisitor();
    await openIde(friend, link);
    expect({
      query: await editorText(friend, 'query'),
      variables: await editorText(friend, 'variables'),
      headers: await editorText(friend, 'headers'),
      active: await friend.locator('.graphiql-tab-active').innerText(),
      url: friend.url(),
    }).toEqual({ query, variables, headers: '', active: 'Shared', url: ideUrl });
    expect(await runAndWaitFor(friend, 'Senegal')).toEqual({ data: { country: { code: 'SEN', name: 'Senegal' } } });
    await screenshot(friend, 'ide-share.png');
    // Opened again, the link brings back the same tab instead of adding another.
    const before = await tabTitles(friend);
    await openIde(friend, link);
    expect(await tabTitles(friend)).toEqual(before);
  });

  it('builds a query by clicking in the explorer, served by the gateway like the rest', async () => {
    const visitor = await newVisitor();
    await openIde(visitor, ideUrl);
    await addTab(visitor);
    await visitor.locator('button[aria-label="Show GraphiQL Explorer"]').click();
    const explorer = visitor.locator('.graphiql-explorer-root');
    await explorer.waitFor({ timeout: 30_000 });
    await explorer.locator('.graphiql-explorer-countries > span').first().click();
    await explorer.locator('.graphiql-explorer-countries .graphiql-explorer-totalCount > span').first().click();
    const built = 'query MyQuery {\n  countries {\n    totalCount\n  }\n}';
    await visitor.waitForFunction(
      (b) =>
        (
          document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }
        ).CodeMirror.getValue() === b,
      built,
      { timeout: 10_000 },
    );
    const expected = await stack.query(built);
    expect(expected.errors).toBeUndefined();
    expect(await runAndWaitFor(visitor, 'totalCount')).toEqual({ data: expected.data });
    await screenshot(visitor, 'ide-explorer.png');
  });
});

describeInChromium('a returning visitor of the IDE, in headless Chromium', () => {
  let gateway: BareGateway;
  let browser: Browser;
  let dir: string;
  let route: ReturnType<typeof createIdeRoute>;

  const ops = (files: Record<string, string>) => {
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
    route = createIdeRoute({ operationsDir: dir });
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ide-ops-'));
    ops({});
    // The IDE is read from the operations at start; swapping the route is a new release of the project.
    gateway = await startBareGateway({ routes: [(req, res, next) => route(req, res, next)] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sees the named operations added or changed since the last visit, and keeps the tabs of their own', async () => {
    ops({
      'a.graphql': 'query Alpha($code: ID! = "SEN") { country(code: $code) { code } }\n',
      'b.graphql': 'query Beta { countries(first: 1) { totalCount } }\n',
      'c.graphql': 'query Closed { __typename }\n',
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const url = new URL('/', gateway.url).toString();
    await openIde(page, url);
    expect(await tabTitles(page)).toEqual(['Alpha', 'Beta', 'Closed']);
    // The visitor closes Closed, edits Beta and writes a query of their own.
    // A click event rather than a pointer: GraphiQL's tabs can be dragged, and a pointer may start a drag.
    await page.locator('.graphiql-tab', { hasText: 'Closed' }).locator('.graphiql-tab-close').dispatchEvent('click');
    expect(await settledTabTitles(page, ['Alpha', 'Beta'])).toEqual(['Alpha', 'Beta']);
    await selectTab(page, 'Beta');
    await setEditorText(page, 'query', 'query Beta { countries(first: 2) { totalCount } }');
    await addTab(page);
    await setEditorText(page, 'query', 'query Mine { __typename }');
    expect(await settledTabTitles(page, ['Alpha', 'Beta', 'Mine'])).toEqual(['Alpha', 'Beta', 'Mine']);
    // Past GraphiQL's debounce for storing tabs.
    await page.waitForTimeout(1000);

    // The next release changes Alpha, leaves Beta and Closed as they were and adds Gamma.
    ops({
      'a.graphql': 'query Alpha($code: ID! = "CIV") { country(code: $code) { code name } }\n',
      'b.graphql': 'query Beta { countries(first: 1) { totalCount } }\n',
      'c.graphql': 'query Closed { __typename }\n',
      'g.graphql': 'query Gamma { __typename }\n',
    });
    await openIde(page, url);
    expect(await tabTitles(page)).toEqual(['Alpha', 'Beta', 'Mine', 'Gamma']);
    const texts: Record<string, { query: string; variables: string }> = {};
    for (const title of ['Alpha', 'Beta', 'Mine', 'Gamma']) {
      await selectTab(page, title);
      texts[title] = { query: await editorText(page, 'query'), variables: await editorText(page, 'variables') };
    }
    expect(texts).toEqual({
      Alpha: {
        query: 'query Alpha($code: ID! = "CIV") { country(code: $code) { code name } }\n',
        variables: '{\n  "code": "CIV"\n}',
      },
      Beta: { query: 'query Beta { countries(first: 2) { totalCount } }', variables: '' },
      Mine: { query: 'query Mine { __typename }', variables: '' },
      Gamma: { query: 'query Gamma { __typename }\n', variables: '' },
    });
    await screenshot(page, 'ide-returning.png');
    await page.close();
  });

  it('keeps what is typed in the tab it was typed in, when the visitor switches, adds or closes a tab at once', async () => {
    ops({
      'a.graphql': 'query Alpha { __typename }\n',
      'b.graphql': 'query Beta { countries(first: 1) { totalCount } }\n',
      'c.graphql': 'query Closed { __typename }\n',
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openIde(page, new URL('/', gateway.url).toString());
    // Each step clicks within the same task as the typing before it, as a quick hand does within GraphiQL's
    // 100 ms debounce (or any hand on a busy machine, where the browser handles clicks before timers).
    const act = (steps: string) =>
      page.evaluate((s) => {
        const editor = () =>
          (
            document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as {
              CodeMirror: { setValue(v: string): void };
            }
          ).CodeMirror;
        const tab = (title: string) =>
          [...document.querySelectorAll('.graphiql-tab')].find((e) => (e as HTMLElement).innerText.trim() === title);
        const click = (el: Element | null | undefined) => (el as HTMLElement).click();
        for (const step of s.split(';')) {
          const [verb, arg] = step.split('=');
          if (verb === 'type') editor().setValue(arg);
          if (verb === 'select') click(tab(arg)?.querySelector('.graphiql-tab-button'));
          if (verb === 'close') click(tab(arg)?.querySelector('.graphiql-tab-close'));
          if (verb === 'add') click(document.querySelector('.graphiql-tab-add'));
        }
      }, steps);
    const state = async () => ({
      titles: await tabTitles(page),
      active: await page.locator('.graphiql-tab-active').innerText(),
      editor: await editorText(page, 'query'),
      stored: (
        JSON.parse((await page.evaluate(() => localStorage.getItem('graphiql:tabState'))) ?? 'null') as {
          tabs: { title: string; query: string }[];
        }
      ).tabs.map((t) => [t.title, t.query.trim()]),
    });
    /** The state once it is `expected` (GraphiQL stores the editors and the tabs after debounces), or as it is after 15 s. */
    const settled = async (expected: Awaited<ReturnType<typeof state>>) => {
      await until(async () => JSON.stringify(await state()) === JSON.stringify(expected), 'the tabs settle').catch(
        () => undefined,
      );
      return state();
    };
    const showing = (text: string) =>
      until(async () => (await editorText(page, 'query')).startsWith(text), `the editor shows ${text}`);
    const welcome = '# Welcome to GraphiQL';

    // Typed into Beta, then Alpha clicked at once: the text stays in Beta.
    await act('select=Beta');
    await showing('query Beta');
    await act('type=query Beta { countries(first: 2) { totalCount } };select=Alpha');
    const typed: [string, string][] = [
      ['Alpha', 'query Alpha { __typename }'],
      ['Beta', 'query Beta { countries(first: 2) { totalCount } }'],
      ['Closed', 'query Closed { __typename }'],
    ];
    const afterSwitch = {
      titles: ['Alpha', 'Beta', 'Closed'],
      active: 'Alpha',
      editor: 'query Alpha { __typename }\n',
      stored: typed,
    };
    expect(await settled(afterSwitch)).toEqual(afterSwitch);

    // Beta selected and a tab added at once: Beta keeps its name, and the new tab is the active one.
    await act('select=Beta;add');
    await showing(welcome);
    const untitled = (await editorText(page, 'query')).trim();
    const afterAdd = {
      titles: ['Alpha', 'Beta', 'Closed', '<untitled>'],
      active: '<untitled>',
      editor: `${untitled}\n\n`,
      stored: [...typed, ['<untitled>', untitled]],
    };
    expect(await settled(afterAdd)).toEqual(afterAdd);

    // Typed into the new tab, then Beta selected, Closed closed and a tab added at once: each text stays where it was typed.
    await act('type=query Mine { __typename };select=Beta;close=Closed;add');
    await showing(welcome);
    await act('type=query Other { __typename }');
    const afterClose = {
      titles: ['Alpha', 'Beta', 'Mine', 'Other'],
      active: 'Other',
      editor: 'query Other { __typename }',
      stored: [typed[0], typed[1], ['Mine', 'query Mine { __typename }'], ['Other', 'query Other { __typename }']],
    };
    expect(await settled(afterClose)).toEqual(afterClose);

    // Closing a tab right of the active one leaves the active one active.
    await act('select=Beta');
    await showing('query Beta');
    await act('close=Mine');
    const afterCloseRight = {
      titles: ['Alpha', 'Beta', 'Other'],
      active: 'Beta',
      editor: 'query Beta { countries(first: 2) { totalCount } }',
      stored: [typed[0], typed[1], ['Other', 'query Other { __typename }']],
    };
    expect(await settled(afterCloseRight)).toEqual(afterCloseRight);
    await page.close();
  });
});
