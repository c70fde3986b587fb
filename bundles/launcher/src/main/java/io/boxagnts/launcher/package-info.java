/**
 * The {@code boxagnts} command. Not a bundle: it owns the JVM's class path (Felix, SLF4J, GraalWasm), turns the command
 * line into framework properties, installs and starts the core bundles of {@code system/}, and stays until the
 * framework stops. Usage errors end the process with one line on stderr and exit code 2; start-up failures with exit
 * code 1.
 */
package io.boxagnts.launcher;
