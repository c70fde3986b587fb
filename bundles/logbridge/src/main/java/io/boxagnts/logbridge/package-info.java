/**
 * Forwards OSGi log entries (framework events, SCR, FileInstall and every bundle that logs through the OSGi Log
 * Service) to SLF4J, which the launcher provides from the class path, so that all of the runtime's messages reach one
 * console in one format. Entries logged before this bundle started are replayed once from the log's history. A
 * bundle that cannot resolve or start is one line with the reason, no stack trace; one that the signed-only policy's
 * resolver hook kept from resolving is left to that policy's own line, which has the reason (decision 0031).
 */
package io.boxagnts.logbridge;
