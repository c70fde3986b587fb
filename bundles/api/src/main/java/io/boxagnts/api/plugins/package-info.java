/**
 * The plugins folder as the runtime sees it: which dropped jars run, which were refused, and why.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.boxagnts.api.plugins;
