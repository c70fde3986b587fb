/**
 * What every HTTP model provider needs: requests with the provider's headers, retries of 429 (honouring Retry-After)
 * and 5xx with backoff, and one precise {@code ModelException} for every other failure. Private to this bundle.
 */
package io.boxagnts.providers.http;
