/**
 * Model providers from a file: {@code <data dir>/providers.json} lists the endpoints a user wants besides the local
 * servers found automatically; each entry becomes a Configuration Admin factory configuration of its provider type.
 */
package io.boxagnts.providers.config;
