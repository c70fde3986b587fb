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
# turn it on (409); model servers are only those the administrator configures (and local ones on loopback).
conf io.boxagnts.webfetch: enabled = false
