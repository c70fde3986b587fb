/**
 * The plugins folder as the runtime sees it: which dropped jars run, which were refused, and why; and (1.1) writing a
 * bundle into it or removing one, as the admin API does.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.boxagnts.api.plugins;
