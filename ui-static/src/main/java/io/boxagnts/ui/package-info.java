/**
 * The web UI: the static files of {@code ui-static/web} (and the pinned front-end libraries in {@code web/vendor}),
 * served at {@code /} in the {@code boxagnts} servlet context, so that they pass the same request checks as the API.
 * The UI talks to the runtime through the public HTTP API only.
 */
package io.boxagnts.ui;
