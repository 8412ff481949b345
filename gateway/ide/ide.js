// Starts GraphiQL on the page the gateway serves. The React, ReactDOM, GraphiQL and explorer plugin
// globals come from the UMD builds the gateway serves beside this file, MigrationGraphIde from
// ideTools.js; the configuration is the JSON block in the page.
(function () {
  'use strict';
  var tools = window.MigrationGraphIde;
  var h = React.createElement;
  var config = JSON.parse(document.getElementById('ide-config').textContent);
  // The IDE is served at the root and at the endpoint itself, possibly under a path prefix.
  var path = window.location.pathname;
  var endpoint = /\/graphql$/.test(path) ? path : path.replace(/\/?$/, '/') + 'graphql';
  var endpointUrl = new URL(endpoint, window.location.href).href;

  var backing;
  try {
    backing = window.localStorage;
    backing.getItem(tools.OFFERED_KEY);
  } catch (e) {
    backing = tools.createMemoryStorage();
  }
  // A bearer token pasted into the headers editor is never written to the browser's storage.
  var storage = tools.createHeaderlessStorage(backing);
  storage.scrub();

  // The tabs are prepared here, where the named operations, what the visitor kept and a shared link
  // meet; GraphiQL then opens what is stored, on the active tab with its variables.
  var shared = tools.readShareLink(window.location.hash);
  if (shared) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  var storedTabs = null;
  var offered = null;
  try {
    storedTabs = JSON.parse(storage.getItem('graphiql:tabState') || 'null');
    offered = JSON.parse(backing.getItem(tools.OFFERED_KEY) || 'null');
  } catch (e) {
    storedTabs = null;
  }
  var plan = tools.planTabs(storedTabs, config.tabs, offered, shared);
  var active = plan.state.tabs[plan.state.activeTabIndex];
  storage.setItem('graphiql:tabState', JSON.stringify(plan.state));
  storage.setItem('graphiql:query', active.query || '');
  if (active.variables) storage.setItem('graphiql:variables', active.variables);
  else storage.removeItem('graphiql:variables');
  backing.setItem(tools.OFFERED_KEY, JSON.stringify(plan.offered));

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Over plain HTTP on another host the clipboard API is missing; a selected textarea still copies.
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand('copy');
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error('The browser refused to copy'));
  }

  function icon(title, d) {
    return h(
      'svg',
      {
        className: 'graphiql-toolbar-icon',
        viewBox: '0 0 24 24',
        fill: 'none',
        stroke: 'currentColor',
        strokeWidth: 1.5,
        strokeLinecap: 'round',
        strokeLinejoin: 'round',
        'aria-hidden': 'true',
      },
      h('title', null, title),
      h('path', { d: d }),
    );
  }

  /** A toolbar button that copies what `make` builds from the editors, and says so for a moment. */
  function CopyButton(props) {
    var editors = GraphiQL.React.useEditorContext({ nonNull: true });
    var state = React.useState(null);
    var done = state[0];
    var setDone = state[1];
    var onClick = function () {
      var text = props.make(editors);
      copyText(text).then(
        function () {
          setDone(props.doneLabel);
          setTimeout(function () {
            setDone(null);
          }, 2000);
        },
        function (error) {
          setDone(String(error && error.message ? error.message : error));
        },
      );
    };
    return h(
      GraphiQL.React.ToolbarButton,
      { label: done || props.label, onClick: onClick, 'data-ide-action': props.action },
      icon(props.label, props.icon),
    );
  }

  function editorValue(editor) {
    return editor ? editor.getValue() : '';
  }

  /**
   * Takes over GraphiQL's tab controls (select, close, add). GraphiQL switches tabs inside React
   * state updaters that also read and write the editors: an edit made in the last 100 ms before a
   * switch was dropped (the editor is stored into its tab on a debounce), a tab added right after a
   * switch took the previous tab's operation name as its neighbour's title, and when a click landed
   * while a debounced store was still waiting to render, React ran the add again and copied the new
   * tab's text into the tab left. Here each action first stores the editors into the tab they show,
   * is dispatched outside the click (at the priority of GraphiQL's own debounced stores, so React
   * runs each update once and in order), and waits for the previous action to be rendered.
   */
  function TabControls() {
    var editors = GraphiQL.React.useEditorContext({ nonNull: true });
    var execution = GraphiQL.React.useExecutionContext();
    var latest = React.useRef(null);
    latest.current = { editors: editors, execution: execution };
    // busy: while an action is not rendered yet, a test of the editors' context that says when it is.
    var queue = React.useRef({ waiting: [], busy: null });

    var run = React.useCallback(function () {
      var q = queue.current;
      if (q.busy || q.waiting.length === 0) return;
      var action = q.waiting.shift();
      var ctx = latest.current.editors;
      var index =
        action.id === null
          ? -1
          : ctx.tabs.findIndex(function (tab) {
              return tab.id === action.id;
            });
      if (action.kind !== 'add' && index < 0) return run();
      if (action.kind === 'select' && index === ctx.activeTabIndex) return run();
      var active = ctx.activeTabIndex;
      var id = action.id;
      q.busy = function (now) {
        if (action.kind === 'add') return now.tabs.length > ctx.tabs.length;
        if (action.kind === 'close')
          return !now.tabs.some(function (tab) {
            return tab.id === id;
          });
        return now.tabs[now.activeTabIndex] !== undefined && now.tabs[now.activeTabIndex].id === id;
      };
      if (ctx.queryEditor) {
        var query = ctx.queryEditor.getValue();
        var name = tools.selectedOperationName(query, ctx.queryEditor.operationName);
        // GraphiQL copies this into the tab left when a tab is added; it is refreshed only on a debounce.
        ctx.queryEditor.operationName = name;
        ctx.updateActiveTabValues({
          query: query,
          variables: ctx.variableEditor ? ctx.variableEditor.getValue() : null,
          headers: ctx.headerEditor ? ctx.headerEditor.getValue() : null,
          operationName: name,
        });
      }
      if (action.kind === 'add') {
        ctx.addTab();
      } else if (action.kind === 'select') {
        if (latest.current.execution) latest.current.execution.stop();
        ctx.changeTab(index);
      } else {
        if (index === active && latest.current.execution) latest.current.execution.stop();
        ctx.closeTab(index);
        // GraphiQL moves to the left of the active tab whichever tab closes; closing another keeps the active one.
        if (index > active) ctx.changeTab(active);
      }
    }, []);

    // Every action re-renders the editors' context: the next one starts from what it left.
    React.useEffect(function () {
      var q = queue.current;
      if (q.busy && q.busy(latest.current.editors)) q.busy = null;
      run();
    });

    React.useEffect(
      function () {
        function onClick(event) {
          var target = event.target instanceof Element ? event.target : null;
          var control = target && target.closest('.graphiql-tab-button, .graphiql-tab-close, .graphiql-tab-add');
          if (!control || !control.closest('.graphiql-session-header')) return;
          var tabs = latest.current.editors.tabs;
          var kind = control.classList.contains('graphiql-tab-add')
            ? 'add'
            : control.classList.contains('graphiql-tab-close')
              ? 'close'
              : 'select';
          var id = null;
          if (kind !== 'add') {
            var item = control.closest('.graphiql-tab');
            var position = Array.prototype.indexOf.call(item.parentNode.querySelectorAll(':scope > .graphiql-tab'), item);
            if (!tabs[position]) return;
            id = tabs[position].id;
          }
          event.stopPropagation();
          event.preventDefault();
          queue.current.waiting.push({ kind: kind, id: id });
          // Outside the click, React gives the update the priority of GraphiQL's debounced stores.
          queueMicrotask(run);
        }
        document.addEventListener('click', onClick, true);
        return function () {
          document.removeEventListener('click', onClick, true);
        };
      },
      [run],
    );
    return null;
  }

  var toolbarButtons = [
    h(TabControls, { key: 'tabs' }),
    h(CopyButton, {
      key: 'curl',
      action: 'copy-curl',
      label: 'Copy as curl (the token as $TOKEN)',
      doneLabel: 'Copied the curl command',
      icon: 'M4 17l6-5-6-5M12 19h8',
      make: function (editors) {
        return tools.curlCommand(
          endpointUrl,
          editorValue(editors.queryEditor),
          editorValue(editors.variableEditor),
          editors.queryEditor ? editors.queryEditor.operationName : null,
          editorValue(editors.headerEditor),
        );
      },
    }),
    h(CopyButton, {
      key: 'link',
      action: 'copy-link',
      label: 'Copy a link to this query and its variables (never the headers)',
      doneLabel: 'Copied the link',
      icon: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1',
      make: function (editors) {
        return tools.shareLink(window.location.href, editorValue(editors.queryEditor), editorValue(editors.variableEditor));
      },
    }),
  ];

  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    h(GraphiQL, {
      fetcher: GraphiQL.createFetcher({ url: endpoint }),
      storage: storage,
      defaultTabs: config.tabs,
      defaultHeaders: config.defaultHeaders,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: 'variables',
      plugins: [GraphiQLPluginExplorer.explorerPlugin()],
      toolbar: { additionalContent: toolbarButtons },
    }),
  );
})();
