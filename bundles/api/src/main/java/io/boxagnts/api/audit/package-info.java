/**
 * The audit log: every tool call, administrative action and web access of a tool (1.2), appended to hash-chained
 * JSON Lines files that show any edit or removed line. Records travel as JSON text so that this API needs no JSON library.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.boxagnts.api.audit;
