/**
 * A {@link io.boxagnts.api.model.ModelProvider} for Anthropic's Messages API, streamed: text and {@code tool_use}
 * blocks (tool input arriving as {@code input_json_delta} fragments), tool results sent back as {@code tool_result}
 * blocks, usage from {@code message_start} and {@code message_delta}. One service per configuration (factory PID
 * {@code io.boxagnts.providers.anthropic}); the key comes from the configuration or {@code ANTHROPIC_API_KEY}.
 */
package io.boxagnts.providers.anthropic;
