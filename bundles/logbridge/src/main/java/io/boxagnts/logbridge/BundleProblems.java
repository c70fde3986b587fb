package io.boxagnts.logbridge;

import org.osgi.framework.BundleException;

/** Recognises the exceptions that say a bundle cannot be installed, resolved or started. */
final class BundleProblems {

    /** Felix's log keeps exceptions as a {@code LogException} whose message starts with the original class name. */
    private static final String WRAPPED = BundleException.class.getName() + ": ";

    private BundleProblems() {}

    /** @return the reason a bundle failed, or {@code null} when the exception is something else */
    static String reason(Throwable exception) {
        if (exception == null) {
            return null;
        }
        if (exception instanceof BundleException) {
            return withCause(exception.getMessage(), exception.getCause());
        }
        String message = exception.getMessage();
        if (message != null && message.startsWith(WRAPPED)) {
            return withCause(message.substring(WRAPPED.length()), exception.getCause());
        }
        return null;
    }

    /**
     * Whether the reason is that a resolver hook kept the bundle from resolving: the only one is the signed-only
     * policy's ({@code io.boxagnts.plugins}, decision 0031), which has logged the refusal with its real reason, so
     * the framework's or FileInstall's line about it would only repeat it without the reason.
     */
    static boolean refusedByResolverHook(String reason) {
        return reason != null && reason.contains("Resolver hook prevented resolution");
    }

    private static String withCause(String message, Throwable cause) {
        return cause == null || cause.getMessage() == null || message.contains(cause.getMessage())
                ? message : message + " (" + cause + ")";
    }
}
