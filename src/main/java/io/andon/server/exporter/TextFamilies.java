package io.andon.server.exporter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The business gauges, rendered in the Prometheus text format by the exporter itself. client_java refuses
 * gauge names ending in {@code _total} (OpenMetrics keeps that suffix for counters), but the plant's
 * dashboards and rules already use {@code mes_plants_total} and friends, so the names stay and this small
 * renderer (with proper escaping) serves them. Failed collection = empty = absent, never stale-as-fresh.
 */
final class TextFamilies {
    record Point(Map<String, String> labels, double value) {}

    record Family(String name, String help, List<Point> points) {}

    private final AtomicReference<List<Family>> current = new AtomicReference<>(List.of());

    void set(List<Family> families) { current.set(List.copyOf(families)); }

    void clear() { current.set(List.of()); }

    List<Family> get() { return current.get(); }

    String render() {
        StringBuilder sb = new StringBuilder(4096);
        for (Family f : current.get()) {
            sb.append("# HELP ").append(f.name()).append(' ').append(escapeHelp(f.help())).append('\n');
            sb.append("# TYPE ").append(f.name()).append(" gauge\n");
            for (Point p : f.points()) {
                sb.append(f.name());
                if (!p.labels().isEmpty()) {
                    sb.append('{');
                    boolean first = true;
                    for (var e : p.labels().entrySet()) {
                        if (!first) sb.append(',');
                        first = false;
                        sb.append(e.getKey()).append("=\"").append(escapeLabel(e.getValue())).append('"');
                    }
                    sb.append('}');
                }
                sb.append(' ').append(format(p.value())).append('\n');
            }
        }
        return sb.toString();
    }

    static String format(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return Double.toString(v);
    }

    static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
