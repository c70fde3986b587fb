# The developer distribution: every core tool, writes wait for approval. What ./boxagnts runs.
# One descriptor per distribution (distribution/profiles/README.md says what each line means).
name = developer
description = every core tool, ask mode
tools = read_file write_file edit_file glob grep list_dir web_fetch js shell
trust = any
admin-token = optional

# Ask mode is the built-in default, so no configuration file: the console and the admin API can change it.
