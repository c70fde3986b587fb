/**
 * Agent events: what a turn of the agent produces, in order. The session log stores them and the UI renders them.
 * Every event names its session and carries the time it happened.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.boxagnts.api.agent;
