package io.boxagnts.admin;

/** An admin action that was refused or failed, with the HTTP status and error kind to answer. */
final class AdminException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String kind;

    AdminException(int status, String kind, String message) {
        super(message);
        this.status = status;
        this.kind = kind;
    }

    static AdminException invalid(String message) {
        return new AdminException(400, "INVALID_INPUT", message);
    }

    int status() {
        return status;
    }

    String kind() {
        return kind;
    }
}
