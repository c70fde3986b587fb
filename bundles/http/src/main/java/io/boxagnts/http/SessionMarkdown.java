package io.boxagnts.http;

import io.boxagnts.api.agent.AgentEvent;
import io.boxagnts.api.session.SessionInfo;
import java.util.List;

/** A session as a Markdown document a person reads: the conversation, tool calls folded into short lines. */
final class SessionMarkdown {

    private SessionMarkdown() {}

    static String of(SessionInfo info, List<AgentEvent> events) {
        StringBuilder md = new StringBuilder("# ").append(info.title()).append("\n\n_Session ").append(info.id())
                .append(", started ").append(info.createdAt()).append("_\n");
        boolean inAnswer = false;
        for (AgentEvent event : events) {
            switch (event) {
                case AgentEvent.UserMessage user -> {
                    md.append("\n## You\n\n").append(user.text()).append('\n');
                    inAnswer = false;
                }
                case AgentEvent.TextDelta text -> {
                    if (!inAnswer) {
                        md.append("\n## BoxAgnts\n\n");
                        inAnswer = true;
                    }
                    md.append(text.text());
                }
                case AgentEvent.ToolCallStarted call -> md.append("\n\n> tool `").append(call.tool()).append("` ")
                        .append('`').append(call.arguments().replace('`', '\'')).append("`\n");
                case AgentEvent.ToolCallFinished done -> md.append(done.error() == null
                        ? "> done in " + done.millis() + " ms\n"
                        : "> failed: " + done.error().kind() + ": " + done.error().message() + "\n");
                case AgentEvent.ApprovalDecided decision -> md.append("> ").append(decision.approved() ? "approved"
                        : "denied").append(" by ").append(decision.by()).append('\n');
                case AgentEvent.FileChanged change -> md.append("> ").append(change.before() == null ? "created"
                        : change.after() == null ? "deleted" : "changed").append(" `").append(change.path())
                        .append("`\n");
                case AgentEvent.Error error -> md.append("\n> **").append(error.message()).append("**\n");
                case AgentEvent.TurnFinished end -> {
                    md.append("\n\n_").append(end.reason().name().toLowerCase(java.util.Locale.ROOT)).append(", ")
                            .append(end.usage().inputTokens()).append(" tokens in, ").append(end.usage().outputTokens())
                            .append(" out, ").append(end.millis()).append(" ms_\n");
                    inAnswer = false;
                }
                default -> { }
            }
        }
        return md.toString();
    }
}
