/**
 * The tool registry: every {@code Tool} service of the runtime (WASM tools registered by the sandbox extender on
 * behalf of tool bundles, and Java tools registered by DS), keyed by name, plus the refusals of tool bundles that
 * could not provide their tool. The HTTP API and the agent read tools only from here.
 */
package io.boxagnts.tools;
