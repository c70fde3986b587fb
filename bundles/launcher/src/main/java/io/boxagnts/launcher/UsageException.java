package io.boxagnts.launcher;

import java.io.Serial;

/** Something the user can fix on the command line or on the machine; printed as one line, without a stack trace. */
public final class UsageException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
