package io.andon.net;

/**
 * A source could not give an answer. {@link #getMessage()} is written for the person at the console:
 * it names the source and says what went wrong, without stack traces or secrets.
 */
public class SourceException extends Exception {
    public enum Kind { UNREACHABLE, TIMEOUT, AUTH_FAILED, TLS_FAILED, BAD_RESPONSE, API_ERROR, TOO_LARGE }

    private final Kind kind;
    private final int status;

    public SourceException(Kind kind, String message) { this(kind, message, -1, null); }

    public SourceException(Kind kind, String message, int status, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() { return kind; }

    /** HTTP status when there was a response, else -1. */
    public int status() { return status; }
}
