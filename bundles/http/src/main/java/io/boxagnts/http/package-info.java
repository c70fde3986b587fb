/**
 * BoxAgnts on the HTTP whiteboard: the {@code boxagnts} servlet context that every BoxAgnts endpoint and page selects,
 * so that request checks (security headers now; authentication, Host and Origin checks later) live in one place, and
 * the {@code /api/health} endpoint.
 */
package io.boxagnts.http;
