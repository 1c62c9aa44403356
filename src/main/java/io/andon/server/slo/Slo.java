package io.andon.server.slo;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * One service-level objective, whatever format it was read from (the plant's {@code ServiceLevelObjective}
 * documents or Sloth's {@code prometheus/v1}).
 *
 * @param name      the {@code slo} label of every series and alert of this SLO
 * @param target    objective as a fraction (0.999), kept decimal so the budget (0.001) prints exactly
 * @param windowDays the SLO window (30 for 30d)
 * @param sli       the indicator
 * @param at        where it was defined, for messages
 */
public record Slo(String name, String titleEn, String titleZh, String description, BigDecimal target, int windowDays,
                  Sli sli, Alerting alerting, Location at) {

    /** Error budget: 1 - target. */
    public BigDecimal budget() { return BigDecimal.ONE.subtract(target); }

    public int windowHours() { return windowDays * 24; }

    public String window() { return windowDays + "d"; }

    /** A spec file and line. */
    public record Location(String file, int line) {
        @Override
        public String toString() { return file + ":" + line; }
    }

    /** The indicator: PromQL templates with {@code {{.window}}} where the range goes. */
    public sealed interface Sli permits Events, Raw {}

    /**
     * Good or bad events over all events. Exactly one of {@code good} / {@code bad} is set: the plant's format
     * counts successes, Sloth's errors.
     */
    public record Events(String total, String good, String bad) implements Sli {}

    /** Sloth's {@code raw.error_ratio_query}: the error ratio itself, no event counts (not traffic-weighted). */
    public record Raw(String errorRatio) implements Sli {}

    /**
     * Alert settings. Andon's three burn-rate alerts (ErrorBudgetBurnFast/Medium pages, ErrorBudgetBurnSlow
     * ticket) keep their names so Alertmanager routes, inhibitions and runbooks apply to every SLO.
     */
    public record Alerting(boolean page, boolean ticket, Map<String, String> labels, Map<String, String> pageLabels,
                           Map<String, String> ticketLabels, String summary) {
        static Alerting defaults(String team) {
            return new Alerting(true, true, Map.of("team", team), Map.of(), Map.of(), null);
        }
    }

    static final List<Double> CONTRACT_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0);
}
