package io.boxagnts.api.audit;

import java.util.Map;
import java.util.Objects;

/**
 * Something an administrator did (or tried to do), for the audit log. Nothing secret goes in here: no tokens, keys or
 * file contents.
 *
 * @param actor who did it: {@code admin}, {@code user}, {@code plugins folder}, a remote address for a failed sign-in
 * @param action what, e.g. {@code install}, {@code uninstall}, {@code enable}, {@code disable}, {@code grant},
 *     {@code config}, {@code sign-in failure}
 * @param subject what it was done to: a tool, a bundle, a configuration PID, a path
 * @param details more facts as short texts (e.g. the new limits)
 */
public record AdminAction(String actor, String action, String subject, Map<String, String> details) {

    public AdminAction {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(subject, "subject");
        details = Map.copyOf(Objects.requireNonNullElse(details, Map.of()));
    }
}
