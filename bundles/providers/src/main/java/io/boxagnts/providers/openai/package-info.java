/**
 * A {@link io.boxagnts.api.model.ModelProvider} for any server that speaks OpenAI's chat-completions API: Ollama,
 * llama.cpp's server, LM Studio, vLLM, OpenAI and compatible gateways. One service per configuration (factory PID
 * {@code io.boxagnts.providers.openai}). Streams text and tool calls (arguments split across chunks, several calls
 * interleaved), reads the usage chunk, retries 429 (honouring Retry-After) and 5xx with backoff, turns tool calls
 * that small local models write as text ({@code <tool_call>{...}</tool_call>}) into real ones, and says precisely
 * what went wrong otherwise. The API key is sent, never logged, never put in an error.
 */
package io.boxagnts.providers.openai;
