package io.boxagnts.api.web;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Fetches a URL for a tool if the web policy allows it, and returns the page as readable text. Every call, allowed or
 * refused, is logged and audited by the implementation.
 */
@ProviderType
public interface WebFetcher {

    /**
     * @throws WebFetchException with a precise reason when the policy refuses the fetch or it fails
     */
    WebPage fetch(WebFetchRequest request) throws WebFetchException;

    /**
     * Whether the policy lets anything through at all: fetching is on and at least one host is allowed. While it
     * is not, every fetch is refused, and a fetching tool is not offered to a model (it would only waste turns).
     *
     * @since 1.1
     */
    boolean allowsAnyHost();
}
