package io.andon.ui.traces;

/** Opens one trace by id on the traces page: the pivot from an exemplar dot or a log line. */
@FunctionalInterface
public interface TraceLink {
    void open(String traceId);
}
