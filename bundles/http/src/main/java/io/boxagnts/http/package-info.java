/**
 * BoxAgnts on the HTTP whiteboard: the request checks every request of the server passes ({@link AccessFilter}, a
 * preprocessor applying {@link AccessPolicy}: access token, Host and Origin, body size, security headers; the admin
 * token and the administrative paths; the role each request carries on, and the header that signs its browser out;
 * sign-in failures to the audit log), the {@code boxagnts} servlet context, and the JSON API under {@code /api/}:
 * health, tools, sessions and turns, providers, the read-only workspace.
 * <p>
 * It also owns the port the user reaches: {@link ApiConnector}, a Felix HTTP {@code ConnectorFactory}, binds
 * {@code --host}/{@code --port} only after {@link JsonErrorHandler} is on Felix's servlet context and Felix's own
 * (throwaway) connector is closed, so that a request arriving before the whiteboard is ready gets 503
 * {@code STARTING} in JSON rather than Jetty's HTML 404 (decision 0034).
 */
package io.boxagnts.http;
