/**
 * BoxAgnts on the HTTP whiteboard: the {@code boxagnts} servlet context that every BoxAgnts endpoint and page selects,
 * so that request checks (access token, Host and Origin checks, security headers: {@link AccessPolicy}) live in one
 * place, and the JSON API under {@code /api/}: health, tools, sessions and turns, providers, the read-only workspace.
 */
package io.boxagnts.http;
