package io.andon.traces;

import io.andon.net.SourceException;

/** The source does not have this trace: never sampled, or already evicted from its store. */
public final class TraceNotFoundException extends SourceException {
    private final String traceId;

    public TraceNotFoundException(String source, String traceId) {
        super(Kind.API_ERROR, source + ": trace " + traceId + " not found (it may not have been sampled, or was already evicted)", 404, null);
        this.traceId = traceId;
    }

    public String traceId() { return traceId; }
}
