/**
 * Sessions: the conversation history of the agent, kept as an append-only log of
 * {@link io.boxagnts.api.agent.AgentEvent}s that survives a crash at any moment.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.boxagnts.api.session;
