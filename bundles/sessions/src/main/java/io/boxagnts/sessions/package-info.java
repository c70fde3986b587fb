/**
 * Sessions on disk: one append-only JSON Lines file per session under {@code <data dir>/sessions/}. The first line
 * describes the session (written whole, by rename, so it is never half there); every later line is one event or a
 * rename, written in one write and forced to disk before {@code append} returns. Reading skips a half-written last
 * line and any line it cannot parse, so a crash at any moment leaves every session readable.
 */
package io.boxagnts.sessions;
