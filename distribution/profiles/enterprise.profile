# The enterprise distribution: a curated tool set (no write_file: files change only through edits the user sees as
# diffs), tools only from trusted publishers, a separate administrator, the audit log kept without limit.
# One descriptor per distribution (distribution/profiles/README.md says what each line means).
name = enterprise
description = curated tools, signed tool bundles only, admin credential required
tools = read_file edit_file glob grep list_dir
trust = signed-only
admin-token = required

conf io.boxagnts.agent: defaultMode = ask
# The audit log is always on; kept without limit (0 days) until the administrator sets a retention.
conf io.boxagnts.audit: retentionDays = 0
# No outbound host for tools: the web fetcher is off, and because this is a file the console and the admin API cannot
# turn it on (409).
conf io.boxagnts.webfetch: enabled = false
# No outbound host but the model servers the administrator configures: no local server is discovered, and only the
# administrator's credential may add or change providers (a user's attempt is refused with the reason).
conf io.boxagnts.providers: discovery = false
conf io.boxagnts.providers: userChanges = false
