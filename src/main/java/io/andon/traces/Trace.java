package io.andon.traces;

import java.util.List;

/**
 * A whole trace as the source gave it, with what was wrong with it: a span that could not be read is listed in
 * {@code problems} and skipped, never a reason to drop the trace; {@code truncated} when the source's answer was
 * larger than the console reads.
 */
public record Trace(String traceId, List<Span> spans, List<String> problems, boolean truncated) {
    public Trace {
        spans = List.copyOf(spans);
        problems = List.copyOf(problems);
    }

    public Trace(String traceId, List<Span> spans) { this(traceId, spans, List.of(), false); }
}
