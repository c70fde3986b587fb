/**
 * Facts about the running BoxAgnts instance that the launcher hands to bundles as framework properties.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.boxagnts.api.runtime;
