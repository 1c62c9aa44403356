package io.andon.traces;

import java.time.Instant;
import java.util.List;

/** One hit of a trace search: enough for the scatter plot and the list without fetching the whole trace. */
public record TraceSummary(String traceId, String rootService, String rootName, Instant start, long durationMicros,
                           int spanCount, int errorCount, List<String> services) {
    public TraceSummary {
        services = List.copyOf(services);
    }

    public boolean hasError() { return errorCount > 0; }
}
