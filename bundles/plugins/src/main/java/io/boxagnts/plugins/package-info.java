/**
 * Watches over the plugins folder. FileInstall deploys the bundles dropped there; this bundle takes the jars FileInstall
 * cannot (not a zip, no OSGi manifest) through FileInstall's own {@code ArtifactInstaller} extension point, so each is
 * refused once with its reason instead of being ignored in silence, and it answers, through
 * {@link io.boxagnts.api.plugins.PluginRegistry}, what runs and why the rest does not.
 */
package io.boxagnts.plugins;
