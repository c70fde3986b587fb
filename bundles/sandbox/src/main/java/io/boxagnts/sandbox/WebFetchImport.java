package io.boxagnts.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxagnts.api.web.WebFetchException;
import io.boxagnts.api.web.WebFetchRequest;
import io.boxagnts.api.web.WebFetcher;
import io.boxagnts.api.web.WebPage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The host function {@code boxagnts.web_fetch}, which a tool may import only when its descriptor declares
 * {@code "network": "fetch"} (decision 0024):
 * {@code web_fetch(request_ptr, request_len, out_ptr, out_capacity) -> i32}. The request is a JSON object
 * {@code {"url": "...", "max_bytes": N}}; the answer, written at {@code out_ptr}, is
 * {@code {"status", "content_type", "truncated", "url", "text"}} or {@code {"error": {"kind", "message"}}} with kind
 * {@code permission_denied}, {@code invalid_input}, {@code timeout} or {@code failed}. A fetch that ran out of time
 * is also remembered here ({@link #timeout()}), so that the call is reported as the sandbox's {@code TIMEOUT}, as
 * for any tool stopped at its time limit, on the host's word rather than on what the tool says. The function returns the answer's length, or
 * minus the length when it does not fit in {@code out_capacity} (the answer is then kept, and the same request again
 * with a buffer that large gets it without a second fetch), or -1 for arguments outside the module's memory.
 * What may be fetched is the {@link WebFetcher}'s decision; this class only carries the call across.
 */
final class WebFetchImport implements ProxyExecutable {

    static final String MODULE = "boxagnts";
    static final String NAME = "web_fetch";
    /** Time kept back from the call's limit, so that a fetch ends before the sandbox stops the call. */
    private static final Duration MARGIN = Duration.ofMillis(250);
    private static final int MAX_REQUEST_BYTES = 64 << 10;

    private final Supplier<WebFetcher> fetcher;
    private final String tool;
    private final String callId;
    private final String caller;
    private final long deadlineNanos;
    private volatile GuestMemory memory;
    private byte[] pendingRequest;
    private byte[] pendingAnswer;
    private volatile String timeout;

    WebFetchImport(Supplier<WebFetcher> fetcher, String tool, String callId, String caller, long deadlineNanos) {
        this.fetcher = fetcher;
        this.tool = tool;
        this.callId = callId;
        this.caller = caller;
        this.deadlineNanos = deadlineNanos;
    }

    /** Why a fetch of this run ran out of time (the fetch's own limit, or no time left in the call), if one did. */
    Optional<String> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The instance's exported memory, once it exists: where requests are read and answers written. */
    void memory(Value exportedMemory) {
        this.memory = GuestMemory.of(exportedMemory);
    }

    @Override
    public Object execute(Value... arguments) {
        GuestMemory memory = this.memory;
        if (arguments.length != 4 || memory == null) {
            return -1;
        }
        try {
            long requestAt = Integer.toUnsignedLong(arguments[0].asInt());
            int requestLength = arguments[1].asInt();
            long outAt = Integer.toUnsignedLong(arguments[2].asInt());
            int outCapacity = arguments[3].asInt();
            if (requestLength < 0 || requestLength > MAX_REQUEST_BYTES || outCapacity < 0
                    || !memory.holds(requestAt, requestLength)) {
                return -1;
            }
            byte[] request = memory.read(requestAt, requestLength);
            byte[] answer = pendingAnswer != null && Arrays.equals(request, pendingRequest) ? pendingAnswer
                    : answer(request);
            if (answer.length > outCapacity) {
                pendingRequest = request;
                pendingAnswer = answer;
                return -answer.length;
            }
            pendingRequest = null;
            pendingAnswer = null;
            if (!memory.holds(outAt, answer.length)) {
                return -1;
            }
            memory.write(outAt, answer);
            return answer.length;
        } catch (IndexOutOfBoundsException | ClassCastException | UnsupportedOperationException
                | PolyglotException e) {
            return -1;
        }
    }

    private byte[] answer(byte[] request) {
        JsonObject answer;
        try {
            answer = page(request);
        } catch (WebFetchException e) {
            if (e.kind() == WebFetchException.Kind.TIMEOUT) {
                timeout = e.getMessage();
            }
            answer = error(switch (e.kind()) {
                case DISABLED, REFUSED -> "permission_denied";
                case INVALID_URL -> "invalid_input";
                case TIMEOUT -> "timeout";
                default -> "failed";
            }, e.getMessage());
        }
        return answer.toString().getBytes(StandardCharsets.UTF_8);
    }

    private JsonObject page(byte[] request) throws WebFetchException {
        JsonObject json;
        try {
            JsonElement element = JsonParser.parseString(new String(request, StandardCharsets.UTF_8));
            json = element.getAsJsonObject();
        } catch (RuntimeException e) {
            return error("invalid_input", "the request to the host is not a JSON object");
        }
        if (!json.has("url") || !json.get("url").isJsonPrimitive()) {
            return error("invalid_input", "the request to the host has no url");
        }
        long maxBytes = json.has("max_bytes") && json.get("max_bytes").isJsonPrimitive()
                ? Math.max(0, json.get("max_bytes").getAsLong()) : 0;
        WebFetcher web = fetcher.get();
        if (web == null) {
            return error("failed", "web fetching is not available in this runtime (the io.boxagnts.webfetch bundle "
                    + "is not active)");
        }
        Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime()).minus(MARGIN);
        if (left.isNegative() || left.isZero()) {
            throw new WebFetchException(WebFetchException.Kind.TIMEOUT, "no time is left in this call to fetch "
                    + "anything (the tool's time limit is nearly used up)");
        }
        WebPage page = web.fetch(new WebFetchRequest(json.get("url").getAsString(), maxBytes, left, tool, callId,
                caller));
        JsonObject answer = new JsonObject();
        answer.addProperty("status", page.status());
        answer.addProperty("content_type", page.contentType());
        answer.addProperty("truncated", page.truncated());
        answer.addProperty("url", page.url());
        answer.addProperty("text", page.text());
        return answer;
    }

    private static JsonObject error(String kind, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("kind", kind);
        error.addProperty("message", message);
        JsonObject answer = new JsonObject();
        answer.add("error", error);
        return answer;
    }
}
