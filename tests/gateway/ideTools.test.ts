import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { PROJECT_ROOT } from '../../shared/src/runtime/config';

// The IDE's browser-side helpers, run as the browser runs them (a plain script that sets a global),
// here in a context of their own; tests/browser/ide.test.ts checks them in Chromium.
interface Tab {
  id: string;
  title: string;
  query: string | null;
  variables: string | null;
  headers: string | null;
  operationName: string | null;
  response: string | null;
  hash?: string | null;
}
interface TabsState {
  tabs: Tab[];
  activeTabIndex: number;
}
interface NamedOperation {
  name: string;
  query: string;
  variables?: string;
}
type Offered = Record<string, { query: string; variables: string | null }>;
interface BrowserStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  clear(): void;
  key(i: number): string | null;
  readonly length: number;
}
interface IdeTools {
  withoutHeaders(key: string, value: string): string | null;
  createHeaderlessStorage(backing: BrowserStorage): BrowserStorage & { scrub(): void };
  createMemoryStorage(): BrowserStorage;
  planTabs(
    stored: unknown,
    named: NamedOperation[],
    offered: Offered | null,
    shared: { query: string; variables: string | null } | null,
  ): {
    state: TabsState;
    offered: Offered;
  };
  shareLink(pageUrl: string, query: string, variables: string): string;
  readShareLink(hash: string): { query: string; variables: string | null } | null;
  curlCommand(endpointUrl: string, query: string, variables: string, operationName: string | null, headers: string): string;
  selectedOperationName(query: string, previous: string | null): string | null;
}

function loadTools(): IdeTools {
  const sandbox: { window: { MigrationGraphIde?: IdeTools }; URLSearchParams: typeof URLSearchParams } = {
    window: {},
    URLSearchParams,
  };
  vm.runInNewContext(fs.readFileSync(path.join(PROJECT_ROOT, 'gateway', 'ide', 'ideTools.js'), 'utf8'), sandbox);
  if (!sandbox.window.MigrationGraphIde) throw new Error('ideTools.js did not set window.MigrationGraphIde');
  return sandbox.window.MigrationGraphIde;
}

const tools = loadTools();
/** Values made in the script's own context, as plain values of this one. */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const HEADERS = '{"Authorization":"Bearer secret.token.here"}';

function tab(query: string, variables: string | null = null, extra: Partial<Tab> = {}): Tab {
  return { id: `id-${query}`, title: 'T', query, variables, headers: null, operationName: null, response: null, ...extra };
}

/** Tabs as their visible contents, without the generated ids. */
const contents = (state: TabsState) => state.tabs.map((t) => ({ title: t.title, query: t.query, variables: t.variables }));

describe("the IDE's storage, which never keeps request headers", () => {
  it('takes the headers out of the history, the favourites and the tabs, and stores no headers key at all', () => {
    expect(tools.withoutHeaders('graphiql:headers', HEADERS)).toBeNull();
    expect(
      JSON.parse(
        tools.withoutHeaders(
          'graphiql:queries',
          JSON.stringify({ queries: [{ query: '{ a }', headers: HEADERS, operationName: 'A' }] }),
        ) ?? 'null',
      ),
    ).toEqual({ queries: [{ query: '{ a }', operationName: 'A' }] });
    expect(
      JSON.parse(
        tools.withoutHeaders(
          'graphiql:favorites',
          JSON.stringify({ favorites: [{ query: '{ b }', headers: HEADERS, favorite: true }] }),
        ) ?? 'null',
      ),
    ).toEqual({ favorites: [{ query: '{ b }', favorite: true }] });
    expect(
      JSON.parse(
        tools.withoutHeaders(
          'graphiql:tabState',
          JSON.stringify({ tabs: [tab('{ c }', null, { headers: HEADERS })], activeTabIndex: 0 }),
        ) ?? 'null',
      ),
    ).toEqual({ tabs: [tab('{ c }')], activeTabIndex: 0 });
  });

  it('drops a history it cannot read, and leaves keys that hold no headers as they are', () => {
    expect(tools.withoutHeaders('graphiql:queries', `{"queries": [${HEADERS}`)).toBeNull();
    expect(tools.withoutHeaders('graphiql:tabState', '[]')).toBeNull();
    expect(tools.withoutHeaders('graphiql:query', '{ a }')).toBe('{ a }');
    expect(tools.withoutHeaders('other', HEADERS)).toBe(HEADERS);
  });

  it('cleans what an older version stored when it is read, and clears only what GraphiQL stored', () => {
    const backing = tools.createMemoryStorage();
    backing.setItem('graphiql:headers', HEADERS);
    backing.setItem('graphiql:queries', JSON.stringify({ queries: [{ query: '{ a }', headers: HEADERS }] }));
    backing.setItem('graphiql:theme', 'dark');
    backing.setItem('elsewhere', 'kept');
    const storage = tools.createHeaderlessStorage(backing);
    expect(storage.length).toBe(3);
    storage.scrub();
    expect({
      headers: backing.getItem('graphiql:headers'),
      queries: backing.getItem('graphiql:queries'),
      theme: backing.getItem('graphiql:theme'),
    }).toEqual({ headers: null, queries: '{"queries":[{"query":"{ a }"}]}', theme: 'dark' });
    storage.setItem('graphiql:headers', HEADERS);
    expect(backing.getItem('graphiql:headers')).toBeNull();
    storage.clear();
    expect({ length: backing.length, kept: backing.getItem('elsewhere') }).toEqual({ length: 1, kept: 'kept' });
  });
});

describe('the tabs a visitor opens the IDE with', () => {
  const named: NamedOperation[] = [
    { name: 'Alpha', query: 'query Alpha($c: ID! = "SEN") { a }\n', variables: '{\n  "c": "SEN"\n}' },
    { name: 'Beta', query: 'query Beta { b }\n' },
  ];

  it('on a first visit are the named operations, the first one active with its variables', () => {
    const { state, offered } = tools.planTabs(null, named, null, null);
    expect(plain({ tabs: contents(state), active: state.activeTabIndex, offered })).toEqual({
      tabs: [
        { title: 'Alpha', query: named[0].query, variables: named[0].variables },
        { title: 'Beta', query: named[1].query, variables: null },
      ],
      active: 0,
      offered: {
        Alpha: { query: named[0].query, variables: named[0].variables },
        Beta: { query: named[1].query, variables: null },
      },
    });
    // In the shape GraphiQL accepts back from storage: every field present.
    expect(Object.keys(state.tabs[0]).sort()).toEqual([
      'hash',
      'headers',
      'id',
      'operationName',
      'query',
      'response',
      'title',
      'variables',
    ]);
  });

  it("bring a returning visitor's tabs up to date with the named operations, keeping the visitor's own", () => {
    const lastTime: Offered = {
      Alpha: { query: 'query Alpha { old }\n', variables: null },
      Beta: { query: 'query Beta { b }\n', variables: null },
      Edited: { query: 'query Edited { old }\n', variables: null },
      Closed: { query: 'query Closed { same }\n', variables: null },
      Reworked: { query: 'query Reworked { old }\n', variables: null },
    };
    const stored: TabsState = {
      tabs: [tab('query Alpha { old }\n'), tab('query Beta { b }\n'), tab('query Edited { old mine }'), tab('query Mine { x }')],
      activeTabIndex: 3,
    };
    const now: NamedOperation[] = [
      { name: 'Alpha', query: 'query Alpha { new }\n' },
      { name: 'Beta', query: 'query Beta { b }\n' },
      { name: 'Edited', query: 'query Edited { new }\n' },
      { name: 'Closed', query: 'query Closed { same }\n' },
      { name: 'Reworked', query: 'query Reworked { new }\n' },
      { name: 'Added', query: 'query Added { z }\n' },
    ];
    const { state } = tools.planTabs(stored, now, lastTime, null);
    expect(plain({ queries: state.tabs.map((t) => t.query), active: state.activeTabIndex, alphaId: state.tabs[0].id })).toEqual({
      queries: [
        // Left as offered: replaced where it stood.
        'query Alpha { new }\n',
        'query Beta { b }\n',
        // Edited by the visitor: kept, the new version beside it.
        'query Edited { old mine }',
        'query Mine { x }',
        'query Edited { new }\n',
        // Closed and unchanged stays closed; closed and changed comes back; new ones are added.
        'query Reworked { new }\n',
        'query Added { z }\n',
      ],
      active: 3,
      alphaId: 'id-query Alpha { old }\n',
    });
  });

  it('from an IDE that never recorded what it offered add only the named operations no tab holds', () => {
    const stored: TabsState = { tabs: [tab('query Beta { b }'), tab('query Alpha { older }')], activeTabIndex: 0 };
    const { state } = tools.planTabs(stored, named, null, null);
    expect(plain(state.tabs.map((t) => t.query))).toEqual(['query Beta { b }', 'query Alpha { older }', named[0].query]);
  });

  it('from a shared link open the shared query, in the tab that already holds it if there is one', () => {
    const shared = { query: 'query S { s }', variables: '{"v": 1}' };
    const fresh = tools.planTabs(null, named, null, shared);
    expect(plain({ tabs: contents(fresh.state), active: fresh.state.activeTabIndex })).toEqual({
      tabs: [
        { title: 'Alpha', query: named[0].query, variables: named[0].variables },
        { title: 'Beta', query: named[1].query, variables: null },
        { title: 'S', query: 'query S { s }', variables: '{"v": 1}' },
      ],
      active: 2,
    });
    const again = tools.planTabs(fresh.state, named, fresh.offered, shared);
    expect(plain({ tabs: again.state.tabs.length, active: again.state.activeTabIndex })).toEqual({ tabs: 3, active: 2 });
  });

  it('from a stored state GraphiQL would not accept start afresh', () => {
    const broken = { tabs: [{ id: 'x', query: '{ a }' }], activeTabIndex: 0 };
    expect(plain(tools.planTabs(broken, named, null, null).state.tabs.map((t) => t.query))).toEqual([
      named[0].query,
      named[1].query,
    ]);
  });
});

describe('the operation a tab runs, stored with the tab before the visitor leaves it', () => {
  it('is the one selected before while the text still names it, otherwise the first named one, and none without a name', () => {
    const two = 'query First { a }\nmutation Second { b }';
    expect([
      tools.selectedOperationName(two, 'Second'),
      tools.selectedOperationName(two, 'Alpha'),
      tools.selectedOperationName(two, null),
      tools.selectedOperationName('# query Commented { a }\n{ b }', 'Alpha'),
      tools.selectedOperationName('subscription Live { c }', null),
    ]).toEqual(['Second', 'First', 'First', null, 'Live']);
  });
});

describe('share links', () => {
  it('carry the query and variables in the fragment, and read back the same', () => {
    const link = tools.shareLink(
      'http://127.0.0.1:4000/graphql#query=old',
      'query Q($c: ID!) { country(code: $c) { name } }',
      '{"c": "SEN"}',
    );
    expect(link).toBe(
      'http://127.0.0.1:4000/graphql#query=query+Q%28%24c%3A+ID%21%29+%7B+country%28code%3A+%24c%29+%7B+name+%7D+%7D&variables=%7B%22c%22%3A+%22SEN%22%7D',
    );
    expect(plain(tools.readShareLink(new URL(link).hash))).toEqual({
      query: 'query Q($c: ID!) { country(code: $c) { name } }',
      variables: '{"c": "SEN"}',
    });
    expect(tools.shareLink('http://h/', '{ a }', '  ')).toBe('http://h/#query=%7B+a+%7D');
  });

  it('without a query open nothing', () => {
    expect([tools.readShareLink(''), tools.readShareLink('#variables=%7B%7D'), tools.readShareLink('#query=+')]).toEqual([
      null,
      null,
      null,
    ]);
  });
});

describe('curl commands', () => {
  it('name the endpoint, carry the operation as JSON, put $TOKEN where the token was and leave other headers out', () => {
    expect(tools.curlCommand('http://127.0.0.1:4000/graphql', 'query Q { a }', '{ "x": 1 }', 'Q', HEADERS)).toBe(
      [
        "curl 'http://127.0.0.1:4000/graphql'",
        "-H 'content-type: application/json'",
        '-H "authorization: Bearer $TOKEN"',
        '--compressed',
        `--data-raw '{"query":"query Q { a }","variables":{"x":1},"operationName":"Q"}'`,
      ].join(' \\\n  '),
    );
    const withOthers = JSON.stringify({ 'x-request-id': 'r-1', AUTHORIZATION: 'Bearer t', 'x-api-key': 'k' });
    expect(tools.curlCommand('http://h/graphql', '{ a }', '', null, withOthers)).toBe(
      [
        `curl 'http://h/graphql'`,
        "-H 'content-type: application/json'",
        '-H "authorization: Bearer $TOKEN"',
        '--compressed',
        `--data-raw '{"query":"{ a }"}'`,
      ].join(' \\\n  '),
    );
    expect(tools.curlCommand('http://h/graphql', '{ a }', '', null, '')).toBe(
      [`curl 'http://h/graphql'`, "-H 'content-type: application/json'", '--compressed', `--data-raw '{"query":"{ a }"}'`].join(
        ' \\\n  ',
      ),
    );
  });

  it('refuse variables that are not a JSON object, saying so', () => {
    expect(() => tools.curlCommand('http://h/graphql', '{ a }', '{ "x": ', null, '')).toThrow(
      'The variables are not a JSON object: fix them to copy the command',
    );
  });

  it('reach curl with the exact body, quotes and dollars included, when a shell runs them', async () => {
    const query = `query Q { a(s: "it's $HOME \`x\` \\\\ \\"q\\"") } # it's`;
    const command = tools.curlCommand('http://h/graphql', query, '{"s": "O\'Brien"}', null, '');
    // A curl that prints its arguments instead of sending them.
    const { stdout } = await promisify(execFile)('sh', ['-c', `curl() { printf '%s\\n' "$@"; }\n${command}`]);
    const args = stdout.split('\n');
    expect(JSON.parse(args[args.indexOf('--data-raw') + 1])).toEqual({ query, variables: { s: "O'Brien" } });
  });
});
