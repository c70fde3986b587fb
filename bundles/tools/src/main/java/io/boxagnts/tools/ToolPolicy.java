package io.boxagnts.tools;

import io.boxagnts.api.tool.WorkspaceAccess;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One tool's policy as an administrator configured it (factory PID {@code io.boxagnts.tool.policy}). What is not set
 * stays as the tool declares it. A configuration that cannot be read is not ignored: its tool is disabled, with the
 * reason, until it is fixed (a typo must not silently widen what a tool may do).
 *
 * @param pid the configuration's PID, e.g. {@code io.boxagnts.tool.policy~write_file}
 * @param tool the tool it is for
 * @param enabled whether the tool may be called
 * @param workspace the most workspace access the tool gets, or null for what it declares
 * @param timeout its time limit, or null for the declared one
 * @param maxMemoryBytes its memory limit, or 0 for the declared one
 * @param maxOutputBytes its output limit, or 0 for the declared one
 * @param problem why the configuration is invalid, or empty
 */
record ToolPolicy(String pid, String tool, boolean enabled, WorkspaceAccess workspace, Duration timeout,
        long maxMemoryBytes, long maxOutputBytes, String problem) {

    static final String FACTORY_PID = "io.boxagnts.tool.policy";
    private static final Pattern TOOL_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** Reads a configuration's properties: typed ones from the console or a .config file, text from a .cfg file. */
    static ToolPolicy of(Map<String, ?> properties) {
        String pid = String.valueOf(properties.get("service.pid"));
        String tool = text(properties.get("tool"));
        if (tool.isEmpty() && pid.startsWith(FACTORY_PID + "~")) {
            tool = pid.substring(FACTORY_PID.length() + 1); // conf/io.boxagnts.tool.policy-NAME.cfg names its tool
        }
        try {
            if (!TOOL_NAME.matcher(tool).matches()) {
                throw new IllegalArgumentException("tool must name a tool ([a-z][a-z0-9_]*), not '" + tool + "'");
            }
            String access = text(properties.get("workspace")).toLowerCase(Locale.ROOT);
            WorkspaceAccess workspace = switch (access) {
                case "" -> null;
                case "none" -> WorkspaceAccess.NONE;
                case "read" -> WorkspaceAccess.READ;
                case "write" -> WorkspaceAccess.WRITE;
                default -> throw new IllegalArgumentException("workspace must be none, read, write or empty, not '"
                        + access + "'");
            };
            long timeoutMs = number(properties, "timeoutMs");
            return new ToolPolicy(pid, tool, bool(properties.get("enabled")), workspace,
                    timeoutMs == 0 ? null : Duration.ofMillis(timeoutMs), number(properties, "maxMemoryMb") << 20,
                    number(properties, "maxOutputKb") << 10, "");
        } catch (IllegalArgumentException e) {
            return new ToolPolicy(pid, tool, false, null, null, 0, 0, "configuration " + pid + " is invalid ("
                    + e.getMessage() + "), so " + (tool.isEmpty() ? "its tool" : tool) + " is disabled until it is fixed");
        }
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().trim();
    }

    private static boolean bool(Object value) {
        String text = text(value).toLowerCase(Locale.ROOT);
        return switch (text) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("enabled must be true or false, not '" + text + "'");
        };
    }

    /** A whole number of at least 0 (0: as declared), at most what fits its unit. */
    private static long number(Map<String, ?> properties, String name) {
        String text = text(properties.get(name));
        if (text.isEmpty()) {
            return 0;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= 0 && value <= Integer.MAX_VALUE) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from 0 (as declared) up, not '" + text + "'");
    }
}
