/**
 * The web policy and fetcher ({@code io.boxagnts.webfetch}) behind the {@code web_fetch} tool: a
 * {@link io.boxagnts.api.web.WebFetcher} configured through ConfigAdmin ({@code io.boxagnts.webfetch}, described by
 * MetaType for the console), off by default; an exact-host allowlist, https unless allowed, public addresses only
 * (checked after resolution and connected to as checked), redirects within the list, size and time limits, no
 * cookies or credentials; HTML turned into readable text with jsoup (embedded); every attempt logged and audited.
 */
package io.boxagnts.webfetch;
