/**
 * The audit log: every tool call and administrative action, appended to hash-chained JSON Lines files that show any
 * edit or removed line. Records travel as JSON text so that this API needs no JSON library.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.boxagnts.api.audit;
