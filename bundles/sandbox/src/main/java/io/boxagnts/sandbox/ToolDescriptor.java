package io.boxagnts.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.boxagnts.api.tool.ToolLimits;
import io.boxagnts.api.tool.NetworkAccess;
import io.boxagnts.api.tool.ToolPermissions;
import io.boxagnts.api.tool.ToolSpec;
import io.boxagnts.api.tool.WorkspaceAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A tool bundle's JSON descriptor, read strictly: every problem is reported as an {@link IllegalArgumentException}
 * whose message says which field is wrong and why.
 *
 * @param spec the tool as the runtime presents it
 * @param module path of the WASM module inside the bundle
 * @param warmup inputs (JSON objects) to run on a scratch workspace after start, so that the engine compiles the
 *     tool's code before the user's first call ({@link WarmUp}); empty: the tool is not warmed up
 * @param webFetch whether the tool may import {@code boxagnts.web_fetch} ({@code "permissions": {"network": "fetch"}}):
 *     what it may fetch is then the web policy's decision ({@link WebFetchImport})
 */
record ToolDescriptor(ToolSpec spec, String module, List<String> warmup, boolean webFetch) {

    /** More would only delay the other tools' warm-up; a few inputs reach the hot code of any tool. */
    static final int MAX_WARMUP_INPUTS = 8;

    /**
     * Upper bounds no descriptor may exceed, whatever it asks for.
     *
     * @param memoryCap what bounds {@code memoryBytes}, in words with its size: the runtime's cap, or the sandbox's
     *     memory budget
     */
    record Caps(Duration timeout, long memoryBytes, long outputBytes, String memoryCap) {

        Caps(Duration timeout, long memoryBytes, long outputBytes) {
            this(timeout, memoryBytes, outputBytes, "the runtime's cap of " + (memoryBytes >> 20));
        }

        /**
         * The caps of the runtime, with the memory cap lowered to the memory budget of all calls at once when that
         * is smaller: a tool that may use more could never start.
         */
        static Caps within(Duration timeout, long memoryBytes, long outputBytes, MemoryBudget budget) {
            return budget.bytes() < memoryBytes ? new Caps(timeout, budget.bytes(), outputBytes,
                    "the sandbox's memory budget for all calls at once: " + budget)
                    : new Caps(timeout, memoryBytes, outputBytes);
        }
    }

    static ToolDescriptor parse(String json, String bundleVersion, Caps caps) {
        JsonObject root;
        try {
            JsonElement element = JsonParser.parseString(json);
            if (!element.isJsonObject()) {
                throw new IllegalArgumentException("the descriptor is not a JSON object");
            }
            root = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("the descriptor is not valid JSON: " + e.getMessage());
        }
        String name = string(root, "name");
        String description = string(root, "description");
        JsonElement schema = root.get("inputSchema");
        if (schema == null || !schema.isJsonObject()
                || !"object".equals(schema.getAsJsonObject().has("type") ? schema.getAsJsonObject().get("type").getAsString() : null)) {
            throw new IllegalArgumentException("inputSchema must be a JSON Schema object with \"type\":\"object\"");
        }
        WorkspaceAccess access = access(root);
        ToolLimits limits = limits(root.getAsJsonObject("limits"), caps);
        String version = root.has("version") ? string(root, "version") : bundleVersion;
        String module = root.has("module") ? string(root, "module") : name + ".wasm";
        ToolSpec.Compact compact = compact(root);
        try {
            boolean webFetch = network(root);
            return new ToolDescriptor(new ToolSpec(name, description, schema.toString(), new ToolPermissions(access,
                    webFetch ? NetworkAccess.FETCH : NetworkAccess.NONE), limits, version, compact), module,
                    warmup(root), webFetch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid descriptor: " + e.getMessage());
        }
    }

    /** The optional short form for small context windows: {@code "compact": {"description", "inputSchema"}}. */
    private static ToolSpec.Compact compact(JsonObject root) {
        JsonElement compact = root.get("compact");
        if (compact == null) {
            return null;
        }
        if (!compact.isJsonObject() || !compact.getAsJsonObject().has("inputSchema")
                || !compact.getAsJsonObject().get("inputSchema").isJsonObject()) {
            throw new IllegalArgumentException("compact must be an object with \"description\" and an \"inputSchema\" object");
        }
        return new ToolSpec.Compact(string(compact.getAsJsonObject(), "description"),
                compact.getAsJsonObject().get("inputSchema").toString());
    }

    /** The optional {@code "warmup": [{...}, ...]}: inputs as the tool takes them. */
    private static List<String> warmup(JsonObject root) {
        JsonElement warmup = root.get("warmup");
        if (warmup == null) {
            return List.of();
        }
        if (!warmup.isJsonArray() || warmup.getAsJsonArray().size() > MAX_WARMUP_INPUTS) {
            throw new IllegalArgumentException("warmup must be an array of at most " + MAX_WARMUP_INPUTS
                    + " inputs (JSON objects)");
        }
        List<String> inputs = new ArrayList<>();
        for (JsonElement input : warmup.getAsJsonArray()) {
            if (!input.isJsonObject()) {
                throw new IllegalArgumentException("warmup must hold inputs as JSON objects, not " + input);
            }
            inputs.add(input.toString());
        }
        return List.copyOf(inputs);
    }

    /** {@code permissions.network}: {@code none} (the default) or {@code fetch}. */
    private static boolean network(JsonObject root) {
        JsonObject permissions = root.getAsJsonObject("permissions");
        if (permissions == null || !permissions.has("network")) {
            return false;
        }
        String value = permissions.get("network").getAsString().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "none" -> false;
            case "fetch" -> true;
            default -> throw new IllegalArgumentException(
                    "permissions.network must be none or fetch, not '" + value + "'");
        };
    }

    private static WorkspaceAccess access(JsonObject root) {
        JsonObject permissions = root.getAsJsonObject("permissions");
        if (permissions == null || !permissions.has("workspace")) {
            return WorkspaceAccess.NONE;
        }
        String value = permissions.get("workspace").getAsString().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "none" -> WorkspaceAccess.NONE;
            case "read" -> WorkspaceAccess.READ;
            case "write" -> WorkspaceAccess.WRITE;
            default -> throw new IllegalArgumentException(
                    "permissions.workspace must be none, read or write, not '" + value + "'");
        };
    }

    private static ToolLimits limits(JsonObject limits, Caps caps) {
        Duration timeout = ToolLimits.DEFAULT.timeout();
        long memory = ToolLimits.DEFAULT.maxMemoryBytes();
        long output = ToolLimits.DEFAULT.maxOutputBytes();
        if (limits != null) {
            if (limits.has("timeoutMs")) {
                timeout = Duration.ofMillis(positive(limits, "timeoutMs"));
            }
            if (limits.has("maxMemoryMb")) {
                memory = positive(limits, "maxMemoryMb") << 20;
            }
            if (limits.has("maxOutputKb")) {
                output = positive(limits, "maxOutputKb") << 10;
            }
        }
        if (timeout.compareTo(caps.timeout()) > 0) {
            throw new IllegalArgumentException("limits.timeoutMs " + timeout.toMillis() + " is above the runtime's cap of "
                    + caps.timeout().toMillis());
        }
        if (memory > caps.memoryBytes()) {
            throw new IllegalArgumentException("limits.maxMemoryMb " + (memory >> 20) + " is above "
                    + caps.memoryCap());
        }
        if (output > caps.outputBytes()) {
            throw new IllegalArgumentException("limits.maxOutputKb " + (output >> 10) + " is above the runtime's cap of "
                    + (caps.outputBytes() >> 10));
        }
        return new ToolLimits(timeout, memory, output);
    }

    private static long positive(JsonObject object, String field) {
        try {
            long value = object.get(field).getAsLong();
            if (value > 0) {
                return value;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw new IllegalArgumentException("limits." + field + " must be a positive whole number");
    }

    private static String string(JsonObject object, String field) {
        JsonElement value = object.get(field);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()
                || value.getAsString().isBlank()) {
            throw new IllegalArgumentException("the descriptor needs a non-empty string \"" + field + "\"");
        }
        return value.getAsString();
    }
}
