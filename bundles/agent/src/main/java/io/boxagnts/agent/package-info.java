/**
 * The agent loop: one user turn is a sequence of model steps; each step streams text and may ask for tool calls, which
 * run in parallel (virtual threads) under the session's permissions, their results going back to the model, until the
 * model answers without tools, the step limit is reached, the same failing call repeats, or the user cancels. Every
 * completed event goes to the session log; live deltas go to the caller.
 */
package io.boxagnts.agent;
