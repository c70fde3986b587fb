package io.boxagnts.api.model;

import java.util.Objects;

/** A piece of a streamed completion. New kinds of delta may appear in minor versions: ignore unknown ones. */
public interface ChatDelta {

    /** Generated text. */
    record Text(String text) implements ChatDelta {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A fragment of a tool call: the first fragment of a call carries its id and name, later ones append to its
     * arguments. Fragments of several calls may interleave; {@code index} tells them apart.
     */
    record ToolCallFragment(int index, String id, String name, String argumentsFragment) implements ChatDelta {
        public ToolCallFragment {
            argumentsFragment = Objects.requireNonNullElse(argumentsFragment, "");
        }
    }
}
