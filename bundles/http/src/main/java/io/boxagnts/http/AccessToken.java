package io.boxagnts.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The runtime's access token and the browser cookie it is exchanged for. The cookie's value is derived from the token
 * (an HMAC), so it stays valid across restarts, dies with the token, and gives nothing away if it leaks from a log.
 * The cookie is named after the port: cookies do not tell ports apart, and two runtimes on one machine must not
 * overwrite each other's.
 */
final class AccessToken {

    private final byte[] token;
    private final String cookieName;
    private final byte[] cookieValue;

    /** @param token the secret; empty when none could be read, which matches nothing */
    AccessToken(String token, int port) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.cookieName = "boxagnts-" + port;
        this.cookieValue = token.isEmpty() ? new byte[0] : derive(this.token);
    }

    String cookieName() {
        return cookieName;
    }

    boolean matches(String candidate) {
        return token.length > 0 && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code Authorization: Bearer <token>}. */
    boolean matchesHeader(String authorization) {
        return authorization.regionMatches(true, 0, "Bearer ", 0, 7) && matches(authorization.substring(7).trim());
    }

    boolean matchesCookie(String value) {
        return cookieValue.length > 0 && MessageDigest.isEqual(cookieValue, value.getBytes(StandardCharsets.US_ASCII));
    }

    /** HttpOnly: page scripts never see it. SameSite=Strict: other sites' pages never send it. */
    String setCookieHeader() {
        return cookieName + "=" + new String(cookieValue, StandardCharsets.US_ASCII)
                + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000";
    }

    /** Expires this runtime's cookie in the browser that receives it: the browser is signed out. */
    String signOutCookieHeader() {
        return cookieName + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
    }

    private static byte[] derive(byte[] token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            byte[] digest = mac.doFinal("boxagnts browser session v1".getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encode(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
