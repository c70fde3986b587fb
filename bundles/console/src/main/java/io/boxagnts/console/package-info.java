/**
 * BoxAgnts in the Apache Felix Web Console ({@code /system/console}, the console's own servlet context):
 * {@link io.boxagnts.console.ConsoleSecurityProvider} makes the administrator BoxAgnts' access checks recognised the
 * console's user, and nobody else (its "Log out" signs the browser out of BoxAgnts);
 * {@link io.boxagnts.console.ConsoleHeadersFilter} gives the console's pages the Content-Security-Policy they can work
 * with, and a Referrer-Policy under which their forms carry our Origin; {@link io.boxagnts.console.ConsoleLinkServlet}
 * ({@code GET /api/console}) tells the web UI whether to link to the console;
 * {@link io.boxagnts.console.AuditConsolePlugin} is the console page of the audit log ({@code /system/console/audit},
 * rendered by {@link io.boxagnts.console.AuditPage}); {@link io.boxagnts.console.ConsoleActionAuditor} records every
 * console request that may change something, with who sent it;
 * {@link io.boxagnts.console.ConsoleConfigurationGuard} keeps the Configuration page from changing what a {@code conf/}
 * file or the launcher sets; {@link io.boxagnts.console.ConsoleBranding} names and
 * marks the console as BoxAgnts'.
 */
package io.boxagnts.console;
