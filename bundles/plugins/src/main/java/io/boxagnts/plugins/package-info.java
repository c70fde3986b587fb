/**
 * Watches over the plugins folder. FileInstall deploys the bundles dropped there; this bundle takes the jars that may
 * not run through FileInstall's own {@code ArtifactInstaller} extension point, which FileInstall asks before it installs
 * a jar as a bundle: those it cannot install (not a zip, no OSGi manifest) and, under the distribution's
 * {@code signed-only} trust policy, those not signed by a publisher of its {@code trust/} folder or altered since
 * ({@link io.boxagnts.plugins.PublisherTrust}, decision 0022). Under that policy it is also a resolver hook
 * ({@link io.boxagnts.plugins.ContentTrust}, decision 0031): no bundle but the distribution's own resolves before
 * the content the framework holds for it passed the same check, however it came in (an overwrite in place, the Web
 * Console). Each is refused once with its reason (log, audit log)
 * instead of being ignored in silence or run, and it answers, through
 * {@link io.boxagnts.api.plugins.PluginRegistry}, what runs and why the rest does not.
 */
package io.boxagnts.plugins;
