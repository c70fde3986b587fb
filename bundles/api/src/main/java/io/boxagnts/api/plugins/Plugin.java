package io.boxagnts.api.plugins;

import java.util.Objects;

/**
 * A jar of the plugins folder (or a bundle installed otherwise, e.g. through the Web Console, that was refused).
 *
 * @param file the jar's file name
 * @param symbolicName its bundle symbolic name, empty when it is not a bundle
 * @param version its bundle version, empty when it is not a bundle
 * @param state where it stands
 * @param problem why it does not run, in plain words; empty when it runs
 */
public record Plugin(String file, String symbolicName, String version, State state, String problem) {

    public enum State {
        /** Started and running. */
        ACTIVE,
        /** Being started or stopped. */
        CHANGING,
        /** A bundle whose requirements are not met (see problem). */
        UNRESOLVED,
        /** A resolved bundle that did not start, e.g. because its activator failed. */
        NOT_STARTED,
        /** Not run: not a bundle at all (not a jar, no OSGi manifest), or not trusted under the signed-only policy. */
        REFUSED
    }

    public Plugin {
        Objects.requireNonNull(file, "file");
        symbolicName = Objects.requireNonNullElse(symbolicName, "");
        version = Objects.requireNonNullElse(version, "");
        Objects.requireNonNull(state, "state");
        problem = Objects.requireNonNullElse(problem, "");
    }
}
