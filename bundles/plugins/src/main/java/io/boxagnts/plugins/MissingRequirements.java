package io.boxagnts.plugins;

import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/** Why a bundle does not resolve: its mandatory requirements that nothing installed provides. */
final class MissingRequirements {

    private MissingRequirements() {}

    static String describe(Bundle bundle, FrameworkWiring wiring) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return "it is not resolved";
        }
        List<String> missing = revision.getDeclaredRequirements(null).stream()
                .filter(r -> !Namespace.RESOLUTION_OPTIONAL.equals(r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE)))
                .filter(r -> wiring.findProviders(r).isEmpty())
                .map(MissingRequirements::describe)
                .toList();
        return missing.isEmpty()
                ? "it is not resolved (a requirement's providers are themselves unresolved)"
                : "nothing provides " + String.join(", ", missing);
    }

    private static String describe(Requirement requirement) {
        String filter = requirement.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        return requirement.getNamespace() + " " + filter;
    }
}
