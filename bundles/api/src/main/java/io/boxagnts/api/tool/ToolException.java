package io.boxagnts.api.tool;

/** A tool call that failed with a typed {@link ToolError}. */
public class ToolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ToolError error;

    public ToolException(ToolError error) {
        this(error, null);
    }

    public ToolException(ToolError error, Throwable cause) {
        super(error.kind() + ": " + error.message(), cause);
        this.error = error;
    }

    public ToolException(ToolError.Kind kind, String message) {
        this(new ToolError(kind, message));
    }

    public ToolError error() {
        return error;
    }
}
