package io.boxagnts.agent;

import io.boxagnts.api.tool.ToolSpec;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the system prompt says about the tools a turn offers: the sandbox's limits, so that a small local model does
 * not spend its turns on what cannot work (running git or python in the shell, modern JavaScript in Duktape, the web
 * while it is off). A tool's description says the same, but the short form sent to small context windows keeps only
 * its first sentence. Only the tools offered are spoken of, in as few words as will do: every token of the system
 * prompt is read before each answer.
 */
final class ToolGuide {

    static final String SANDBOX = "Your tools run in a sandbox on the workspace: no processes, no network";
    static final String SHELL = "shell is a built-in POSIX sh (pipes, redirections, $(...), if/for/while/case), not "
            + "bash, with its own utilities only: ls cat head tail wc sort uniq cut tr grep sed find xargs diff patch "
            + "mkdir cp mv rm touch tee test seq basename dirname realpath sha256sum base64 date env and a few more. "
            + "git, python, node, npm, cargo, make, curl and every other program are not available: do not call them.";
    static final String JS = "js is Duktape, ECMAScript 5.1: use var and function (no let, arrow functions, "
            + "classes, template literals, Promises or require); console.log prints, the last expression is the "
            + "result, fs.readFileSync/writeFileSync reach the workspace.";

    private ToolGuide() {}

    /** The paragraph for the offered tools; empty when none is offered. */
    static String of(List<ToolSpec> offered) {
        if (offered.isEmpty()) {
            return "";
        }
        Set<String> names = offered.stream().map(ToolSpec::name).collect(Collectors.toSet());
        StringBuilder guide = new StringBuilder(SANDBOX);
        guide.append(offered.stream().anyMatch(tool -> tool.permissions().fetches())
                ? " except web_fetch, which reaches only the hosts an administrator allowed." : ".");
        if (names.contains("shell")) {
            guide.append(' ').append(SHELL);
        }
        if (names.contains("js")) {
            guide.append(' ').append(JS);
        }
        return guide.toString();
    }
}
