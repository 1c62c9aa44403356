package io.andon.traces;

import io.andon.net.SourceException;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A trace backend's query API: Zipkin (the stack's), Jaeger's query service or Tempo (sites that run them).
 * Every failure is a {@link SourceException} a person can read; an unknown id is {@link TraceNotFoundException}.
 */
public interface TraceSource extends AutoCloseable {
    /** "Zipkin", "Jaeger", "Tempo", or the profile's name for it. */
    String name();

    List<String> services() throws SourceException;

    List<String> operations(String service) throws SourceException;

    /** Newest first. Traces the source returned but that could not be read are in {@link SearchResult#problems()}. */
    SearchResult search(TraceQuery q) throws SourceException;

    Trace trace(String traceId) throws SourceException;

    /** The trace in the backend's own UI ("open in Zipkin"), when it has one. */
    Optional<URI> uiLink(String traceId);

    record SearchResult(List<TraceSummary> traces, List<String> problems) {
        public SearchResult {
            traces = List.copyOf(traces);
            problems = List.copyOf(problems);
        }
    }

    @Override
    default void close() {}
}
