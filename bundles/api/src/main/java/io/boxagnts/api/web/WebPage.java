package io.boxagnts.api.web;

import java.util.Objects;

/**
 * A fetched page.
 *
 * @param status the HTTP status of the last response (after redirects within the allowlist)
 * @param contentType its media type without parameters, e.g. {@code text/html}
 * @param text the body as readable text: HTML turned into text, other text types decoded as they are
 * @param truncated whether the body was longer than the byte limit and cut there
 * @param url the URL the text comes from (the last one when redirected)
 */
public record WebPage(int status, String contentType, String text, boolean truncated, String url) {

    public WebPage {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(url, "url");
    }
}
