package io.andon.logs;

/** A log search that could not be answered, with a message for the person at the console. */
public class LogException extends Exception {
    public enum Kind { UNREACHABLE, AUTH_FAILED, TLS_FAILED, NO_INDEX, BAD_QUERY, TIMEOUT, BAD_RESPONSE, CANCELLED, OTHER }

    private final Kind kind;

    public LogException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
