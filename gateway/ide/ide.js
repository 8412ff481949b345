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

  var toolbarButtons = [
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
