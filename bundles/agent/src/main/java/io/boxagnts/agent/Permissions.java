package io.boxagnts.agent;

import io.boxagnts.api.tool.ToolSpec;
import java.util.Set;

/**
 * What a session lets tools do. Deny rules win over everything, then allow rules, then the mode.
 *
 * @param mode how writes are treated
 * @param allow tool names that run without asking
 * @param deny tool names that never run (and are not offered to the model)
 */
record Permissions(Mode mode, Set<String> allow, Set<String> deny) {

    enum Mode {
        /** Writes need the user's approval (the default). */
        ASK,
        /** Writes inside the workspace run without asking. */
        AUTO_EDIT,
        /** Read-only tools only. */
        PLAN
    }

    enum Decision { RUN, ASK, REFUSE }

    static final Permissions DEFAULT = new Permissions(Mode.ASK, Set.of(), Set.of());

    Permissions {
        allow = Set.copyOf(allow);
        deny = Set.copyOf(deny);
    }

    /** Whether the model is offered the tool at all. */
    boolean offers(ToolSpec tool) {
        return decide(tool) != Decision.REFUSE;
    }

    Decision decide(ToolSpec tool) {
        if (deny.contains(tool.name())) {
            return Decision.REFUSE;
        }
        if (!tool.permissions().writes()) {
            return Decision.RUN;
        }
        if (mode == Mode.PLAN) {
            return Decision.REFUSE;
        }
        if (allow.contains(tool.name()) || mode == Mode.AUTO_EDIT) {
            return Decision.RUN;
        }
        return Decision.ASK;
    }
}
