/**
 * Administration of tools, for scripts (the JSON API under {@code /api/admin/}) and the browser (the Web Console's
 * Tools page, {@code /system/console/tools}): every tool with its
 * bundle, policy, calls, errors and latency since start; enable, disable, narrow the grant, change the limits (as
 * ConfigAdmin configuration, the same a file in {@code conf/} holds); upload and remove tool bundles in the plugins
 * folder. Each action is recorded in the audit log. Private: other bundles meet tools through {@code io.boxagnts.api}.
 */
package io.boxagnts.admin;
