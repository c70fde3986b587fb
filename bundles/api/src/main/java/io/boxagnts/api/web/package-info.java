/**
 * Fetching web pages for tools, under the administrator's policy: the one way a sandboxed tool reaches the network.
 * The sandbox offers {@link io.boxagnts.api.web.WebFetcher} to modules that declare it as their one host import; the
 * implementation decides what may be fetched (off by default), fetches, and records every attempt in the audit log.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.boxagnts.api.web;
