/**
 * The audit log ({@code io.boxagnts.audit}): every tool call (heard from the tool registry as a
 * {@code ToolCallListener}), every configuration change, bundle install/update/uninstall and the administrative
 * actions other bundles report through {@code AuditLog}, appended to hash-chained JSON Lines files under
 * {@code <data dir>/audit/} ({@link io.boxagnts.audit.AuditChain}: each record carries the hash of the one before it),
 * rotated by size and never rewritten (the end of the chain is found on a thread of its own at activation, and every
 * record and read waits for it, decision 0041); {@code GET /api/audit}; and {@link io.boxagnts.audit.AuditCommand}, the
 * verifier behind {@code boxagnts audit verify}.
 */
package io.boxagnts.audit;
