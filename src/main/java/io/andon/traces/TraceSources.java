package io.andon.traces;

import io.andon.net.Endpoint;

import java.util.List;
import java.util.Locale;

/** The trace source a profile names: Zipkin (the stack's), Jaeger's query service or Tempo. */
public final class TraceSources {
    /** The kinds a profile may name, in the order the settings page offers them. */
    public static final List<String> KINDS = List.of("zipkin", "jaeger", "tempo");

    private TraceSources() {}

    /** @param name the source's name in messages (null: the kind's product name) */
    public static TraceSource create(String kind, String name, Endpoint endpoint) {
        String k = kind == null || kind.isBlank() ? "zipkin" : kind.strip().toLowerCase(Locale.ROOT);
        return switch (k) {
            case "zipkin" -> new ZipkinTraceSource(name == null ? "Zipkin" : name, endpoint);
            case "jaeger" -> new JaegerTraceSource(name == null ? "Jaeger" : name, endpoint);
            case "tempo" -> new TempoTraceSource(name == null ? "Tempo" : name, endpoint);
            default -> throw new IllegalArgumentException("unknown trace source kind '" + kind + "' (zipkin, jaeger or tempo)");
        };
    }
}
