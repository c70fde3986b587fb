/**
 * Facts about the running BoxAgnts instance that the launcher hands to bundles as framework properties, and the
 * shared facts of its HTTP server (context, public and administrative paths, the role of a request, how a page signs
 * the browser out).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.5.0")
package io.boxagnts.api.runtime;
