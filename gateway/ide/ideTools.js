// What the IDE adds to GraphiQL, as functions of plain values (no DOM, no React), so that they can be
// checked outside a browser too: storage that never keeps request headers, the tabs a visitor opens
// with, share links and curl commands. ide.js wires them into GraphiQL.
(function (root) {
  'use strict';

  var NAMESPACE = 'graphiql:';
  /** Where the IDE remembers which version of each named operation it last offered the visitor. */
  var OFFERED_KEY = 'migration-graph:ide:offered-operations';

  function parseOrNull(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  /**
   * The value to store for one of GraphiQL's keys with every request header taken out, or null when
   * nothing may be stored. GraphiQL keeps headers in the history and favourites (whatever
   * shouldPersistHeaders says), in the tabs and under `headers`; a value it would store that cannot be
   * read is dropped, since what it holds is unknown.
   */
  function withoutHeaders(key, value) {
    if (typeof value !== 'string' || key.indexOf(NAMESPACE) !== 0) return value;
    var name = key.slice(NAMESPACE.length);
    if (name === 'headers') return null;
    if (name === 'queries' || name === 'favorites') {
      var store = parseOrNull(value);
      if (!isObject(store) || !Array.isArray(store[name])) return null;
      var items = store[name].filter(isObject).map(function (item) {
        var copy = {};
        Object.keys(item).forEach(function (k) {
          if (k !== 'headers') copy[k] = item[k];
        });
        return copy;
      });
      var cleanStore = {};
      cleanStore[name] = items;
      return JSON.stringify(cleanStore);
    }
    if (name === 'tabState') {
      var state = parseOrNull(value);
      if (!isObject(state) || !Array.isArray(state.tabs)) return null;
      var clean = {};
      Object.keys(state).forEach(function (k) {
        clean[k] = state[k];
      });
      clean.tabs = state.tabs.filter(isObject).map(function (tab) {
        var copy = {};
        Object.keys(tab).forEach(function (k) {
          copy[k] = k === 'headers' ? null : tab[k];
        });
        return copy;
      });
      return JSON.stringify(clean);
    }
    return value;
  }

  /**
   * A Storage for GraphiQL's `storage` option over `backing` (localStorage): what GraphiQL writes is
   * stored without headers, and what an older version of the IDE stored with headers is cleaned when
   * read.
   */
  function createHeaderlessStorage(backing) {
    function put(key, clean) {
      if (clean === null) backing.removeItem(key);
      else backing.setItem(key, clean);
    }
    function ownKeys() {
      var keys = [];
      for (var i = 0; i < backing.length; i++) {
        var key = backing.key(i);
        if (key !== null && key.indexOf(NAMESPACE) === 0) keys.push(key);
      }
      return keys;
    }
    return {
      getItem: function (key) {
        var value = backing.getItem(key);
        if (value === null) return null;
        var clean = withoutHeaders(key, value);
        if (clean !== value) put(key, clean);
        return clean;
      },
      setItem: function (key, value) {
        put(key, withoutHeaders(key, String(value)));
      },
      removeItem: function (key) {
        backing.removeItem(key);
      },
      clear: function () {
        ownKeys().forEach(function (key) {
          backing.removeItem(key);
        });
      },
      get length() {
        return ownKeys().length;
      },
      /** Cleans every key GraphiQL may have stored before this storage was in place. */
      scrub: function () {
        var self = this;
        ownKeys().forEach(function (key) {
          self.getItem(key);
        });
      },
    };
  }

  /** A Storage kept in memory, for a browser that refuses localStorage. */
  function createMemoryStorage() {
    var items = new Map();
    return {
      getItem: function (key) {
        return items.has(key) ? items.get(key) : null;
      },
      setItem: function (key, value) {
        items.set(key, String(value));
      },
      removeItem: function (key) {
        items.delete(key);
      },
      clear: function () {
        items.clear();
      },
      key: function (i) {
        return Array.from(items.keys())[i] ?? null;
      },
      get length() {
        return items.size;
      },
    };
  }

  var tabCounter = 0;
  function newTabId() {
    tabCounter += 1;
    return 'mg-' + Date.now().toString(36) + '-' + tabCounter + '-' + Math.random().toString(36).slice(2, 8);
  }

  // GraphiQL's own rule for a tab's title: the name of the first operation.
  function operationName(query) {
    var match = /^(?!#).*(query|subscription|mutation)\s+([a-zA-Z0-9_]+)/m.exec(query || '');
    return match ? match[2] : null;
  }

  /**
   * The operation GraphiQL runs from `query`, by its rule: the one selected before (`previous`) while
   * the text still names it, otherwise the first named one; null when none has a name.
   */
  function selectedOperationName(query, previous) {
    var pattern = /^(?!#).*(query|subscription|mutation)\s+([a-zA-Z0-9_]+)/gm;
    var names = [];
    var match;
    while ((match = pattern.exec(query || '')) !== null) names.push(match[2]);
    if (previous && names.indexOf(previous) >= 0) return previous;
    return names.length > 0 ? names[0] : null;
  }

  /** A tab in the shape GraphiQL persists (it discards the whole state if one field is missing). */
  function makeTab(query, variables) {
    return {
      id: newTabId(),
      hash: null,
      title: operationName(query) || '<untitled>',
      query: query,
      variables: variables || null,
      headers: null,
      operationName: null,
      response: null,
    };
  }

  function isStoredTab(tab) {
    if (!isObject(tab) || typeof tab.id !== 'string' || typeof tab.title !== 'string') return false;
    return ['query', 'variables', 'headers', 'operationName', 'response'].every(function (k) {
      return k in tab && (typeof tab[k] === 'string' || tab[k] === null);
    });
  }

  function isStoredState(state) {
    return (
      isObject(state) && typeof state.activeTabIndex === 'number' && Array.isArray(state.tabs) && state.tabs.every(isStoredTab)
    );
  }

  function sameText(a, b) {
    return (a || '').trim() === (b || '').trim();
  }

  /**
   * The tabs a visitor opens with. `stored` is GraphiQL's saved tab state (null on a first visit),
   * `named` the project's named operations ({ name, query, variables }), `offered` what the IDE last
   * offered this visitor ({ name: { query, variables } }), `shared` a query opened from a link.
   *
   * A first visit gets the named operations, the first one active. A returning visitor keeps every
   * tab as it was; a named operation added since the last visit is appended; one the project changed
   * replaces its tab where the visitor left that tab as offered, and is appended beside it where the
   * visitor edited it. A named operation the visitor closed stays closed until the project changes it.
   * A shared query becomes the active tab (the existing one when a tab already holds it).
   */
  function planTabs(stored, named, offered, shared) {
    var previous = isObject(offered) ? offered : {};
    var state;
    if (isStoredState(stored) && stored.tabs.length > 0) {
      state = { tabs: stored.tabs.slice(), activeTabIndex: Math.min(Math.max(stored.activeTabIndex, 0), stored.tabs.length - 1) };
      named.forEach(function (op) {
        var before = previous[op.name];
        if (before && sameText(before.query, op.query) && sameText(before.variables, op.variables)) return;
        var holding = state.tabs.findIndex(function (tab) {
          return sameText(tab.query, op.query) && sameText(tab.variables, op.variables);
        });
        if (holding >= 0) return;
        var untouched = before
          ? state.tabs.findIndex(function (tab) {
              return sameText(tab.query, before.query) && sameText(tab.variables, before.variables);
            })
          : -1;
        var fresh = makeTab(op.query, op.variables);
        if (untouched >= 0) {
          fresh.id = state.tabs[untouched].id;
          state.tabs[untouched] = fresh;
        } else {
          state.tabs.push(fresh);
        }
      });
    } else {
      state = {
        tabs: named.map(function (op) {
          return makeTab(op.query, op.variables);
        }),
        activeTabIndex: 0,
      };
    }
    if (shared && typeof shared.query === 'string' && shared.query.trim() !== '') {
      var existing = state.tabs.findIndex(function (tab) {
        return sameText(tab.query, shared.query) && sameText(tab.variables, shared.variables);
      });
      if (existing < 0) {
        state.tabs.push(makeTab(shared.query, shared.variables));
        existing = state.tabs.length - 1;
      }
      state.activeTabIndex = existing;
    }
    if (state.tabs.length === 0) {
      state.tabs.push(makeTab('', null));
      state.activeTabIndex = 0;
    }
    var nowOffered = {};
    named.forEach(function (op) {
      nowOffered[op.name] = { query: op.query, variables: op.variables || null };
    });
    return { state: state, offered: nowOffered };
  }

  /** The link that reopens a query with its variables: both in the fragment, which no request carries. */
  function shareLink(pageUrl, query, variables) {
    var params = new URLSearchParams();
    params.set('query', query);
    if (variables && variables.trim() !== '') params.set('variables', variables);
    return pageUrl.split('#')[0] + '#' + params.toString();
  }

  /** The query and variables of a share link's fragment, or null when it holds none. */
  function readShareLink(hash) {
    var params = new URLSearchParams((hash || '').replace(/^#/, ''));
    var query = params.get('query');
    if (query === null || query.trim() === '') return null;
    return { query: query, variables: params.get('variables') };
  }

  function shellQuote(text) {
    return "'" + text.replace(/'/g, "'\\''") + "'";
  }

  function hasAuthorization(headersText) {
    var headers = parseOrNull(headersText || '');
    return (
      isObject(headers) &&
      Object.keys(headers).some(function (k) {
        return k.toLowerCase() === 'authorization';
      })
    );
  }

  /**
   * The operation as a curl command: the endpoint, the query, its variables and operation name. A
   * token in the headers editor becomes `$TOKEN`, so the command can be pasted into a ticket or a
   * chat, and the token is taken from the shell's environment when it runs.
   */
  function curlCommand(endpointUrl, query, variablesText, opName, headersText) {
    var body = { query: query };
    if (variablesText && variablesText.trim() !== '') {
      var variables = parseOrNull(variablesText);
      if (!isObject(variables)) throw new Error('The variables are not a JSON object: fix them to copy the command');
      body.variables = variables;
    }
    if (opName) body.operationName = opName;
    var lines = ['curl ' + shellQuote(endpointUrl), "-H 'content-type: application/json'"];
    if (hasAuthorization(headersText)) lines.push('-H "authorization: Bearer $TOKEN"');
    lines.push('--compressed');
    lines.push('--data-raw ' + shellQuote(JSON.stringify(body)));
    return lines.join(' \\\n  ');
  }

  root.MigrationGraphIde = {
    OFFERED_KEY: OFFERED_KEY,
    withoutHeaders: withoutHeaders,
    createHeaderlessStorage: createHeaderlessStorage,
    createMemoryStorage: createMemoryStorage,
    planTabs: planTabs,
    shareLink: shareLink,
    readShareLink: readShareLink,
    curlCommand: curlCommand,
    selectedOperationName: selectedOperationName,
  };
})(typeof window !== 'undefined' ? window : globalThis);
