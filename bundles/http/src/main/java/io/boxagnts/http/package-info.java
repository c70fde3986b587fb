/**
 * BoxAgnts on the HTTP whiteboard: the request checks every request of the server passes ({@link AccessFilter}, a
 * preprocessor applying {@link AccessPolicy}: access token, Host and Origin, body size, security headers; the admin
 * token and the administrative paths; the role each request carries on, and the header that signs its browser out;
 * sign-in failures to the audit log), the {@code boxagnts} servlet context, and the JSON API under {@code /api/}:
 * health, tools, sessions and turns, providers, the read-only workspace.
 */
package io.boxagnts.http;
