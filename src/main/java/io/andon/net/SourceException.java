package io.andon.net;

/**
 * A source could not give an answer. {@link #getMessage()} is written for the person at the console:
 * it names the source and says what went wrong, without stack traces or secrets; {@link #error()} holds
 * the same as data.
 */
public class SourceException extends Exception {
    public enum Kind { UNREACHABLE, TIMEOUT, AUTH_FAILED, TLS_FAILED, BAD_RESPONSE, API_ERROR, TOO_LARGE }

    private final Kind kind;
    private final int status;
    private final SourceError error;

    public SourceException(String source, SourceError error) { this(source, error, null); }

    public SourceException(String source, SourceError error, Throwable cause) {
        super(source + " " + error.describe(), cause);
        this.error = error;
        this.kind = kindOf(error);
        this.status = switch (error) {
            case SourceError.AuthFailed a -> a.status();
            case SourceError.BadResponse b -> b.status();
            default -> -1;
        };
    }

    /** Free-text form, for callers that compose their own message. */
    public SourceException(Kind kind, String message) { this(kind, message, -1, null); }

    public SourceException(Kind kind, String message, int status, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.error = switch (kind) {
            case UNREACHABLE -> new SourceError.Unreachable("?", message);
            case TIMEOUT -> new SourceError.Timeout("?", java.time.Duration.ZERO);
            case AUTH_FAILED -> new SourceError.AuthFailed(status);
            case TLS_FAILED -> new SourceError.TlsFailed("?", message);
            case BAD_RESPONSE -> new SourceError.BadResponse(status, "", "", message);
            case API_ERROR -> new SourceError.ApiError("error", message);
            case TOO_LARGE -> new SourceError.TooLarge(-1);
        };
    }

    private static Kind kindOf(SourceError e) {
        return switch (e) {
            case SourceError.Unreachable u -> Kind.UNREACHABLE;
            case SourceError.Timeout t -> Kind.TIMEOUT;
            case SourceError.AuthFailed a -> Kind.AUTH_FAILED;
            case SourceError.TlsFailed t -> Kind.TLS_FAILED;
            case SourceError.BadResponse b -> Kind.BAD_RESPONSE;
            case SourceError.ApiError a -> Kind.API_ERROR;
            case SourceError.TooLarge t -> Kind.TOO_LARGE;
        };
    }

    public Kind kind() { return kind; }

    public SourceError error() { return error; }

    /** HTTP status when there was a response, else -1. */
    public int status() { return status; }

    /** Network trouble (the source may be fine a moment later), as opposed to an answer that says no. */
    public boolean isTransient() { return kind == Kind.UNREACHABLE || kind == Kind.TIMEOUT; }
}
