// Starts GraphiQL on the page the gateway serves. The React, ReactDOM and GraphiQL globals come from
// the UMD builds the gateway serves beside this file; the configuration is the JSON block in the page.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('ide-config').textContent);
  // The IDE is served at the root and at the endpoint itself, possibly under a path prefix.
  var path = window.location.pathname;
  var endpoint = /\/graphql$/.test(path) ? path : path.replace(/\/?$/, '/') + 'graphql';
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: config.tabs,
      defaultQuery: config.tabs.length > 0 ? config.tabs[0].query : undefined,
      defaultHeaders: config.defaultHeaders,
      isHeadersEditorEnabled: true,
      // A bearer token pasted into the headers editor must not outlive the browser tab.
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
})();
