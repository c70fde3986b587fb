/**
 * The model-provider SPI: a {@link io.boxagnts.api.model.ModelProvider} service per configured provider (an
 * OpenAI-compatible server, Anthropic, ...). The agent speaks only these types; wire formats stay inside providers.
 * Calls block the calling (virtual) thread and stream deltas to a listener; interrupting the thread cancels the call.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.boxagnts.api.model;
