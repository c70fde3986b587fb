package io.boxagnts.audit;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The line format of the audit log. A record is one JSON object on one line; its last two fields are {@code prev},
 * the hash of the record before it, and {@code hash}, the SHA-256 of the line's own text up to {@code prev}
 * (precisely: the line with its {@code ,"hash":"..."} removed). So an edited record no longer matches its hash, and a
 * removed or reordered one breaks the next record's {@code prev}. The hash is taken over the text as written, not over
 * a re-serialisation, so verifying needs no canonical JSON.
 */
final class AuditChain {

    /** The {@code prev} of the very first record. */
    static final String GENESIS = "0".repeat(64);

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final String HASH_FIELD = ",\"hash\":\"";
    /** {@code ,"hash":"} + 64 hex digits + {@code "}}. */
    private static final int SUFFIX_LENGTH = HASH_FIELD.length() + 64 + 2;
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private AuditChain() {}

    /**
     * The line for {@code fields} (which must not hold {@code prev} or {@code hash}): the fields, then {@code prev},
     * then the hash over all of that. No line break inside: Gson escapes control characters in strings.
     */
    static String seal(JsonObject fields, String prev) {
        JsonObject record = fields.deepCopy();
        record.addProperty("prev", prev);
        String body = GSON.toJson(record);
        String hash = sha256(body);
        return body.substring(0, body.length() - 1) + HASH_FIELD + hash + "\"}";
    }

    /** The hash a line claims for itself, if it has the shape of a sealed record. */
    static Optional<String> claimedHash(String line) {
        if (line.length() <= SUFFIX_LENGTH || !line.endsWith("\"}")) {
            return Optional.empty();
        }
        int at = line.length() - SUFFIX_LENGTH;
        if (!line.startsWith(HASH_FIELD, at)) {
            return Optional.empty();
        }
        String hash = line.substring(at + HASH_FIELD.length(), line.length() - 2);
        return HEX64.matcher(hash).matches() ? Optional.of(hash) : Optional.empty();
    }

    /** The hash the line's content actually has (the line without its hash field). */
    static String actualHash(String line) {
        return sha256(line.substring(0, line.length() - SUFFIX_LENGTH) + "}");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static Gson gson() {
        return GSON;
    }
}
