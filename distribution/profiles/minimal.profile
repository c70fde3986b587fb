# The minimal distribution: an agent that reads and answers, and never changes a file.
# One descriptor per distribution (distribution/profiles/README.md says what each line means).
name = minimal
description = read-only tools, plan mode by default
tools = read_file glob grep list_dir
trust = any
admin-token = optional

# Plan mode unless a message asks otherwise, and the workspace read-only for every tool, whatever a tool declares.
conf io.boxagnts.agent: defaultMode = plan
conf io.boxagnts.tools: workspace = read
