package io.andon.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One rule group of /api/v1/rules: how long its last evaluation took and when it ran, with its rules.
 * {@code lastEvaluation} is empty before the first evaluation (Prometheus sends year 1 then).
 */
public record RuleGroup(String name, String file, Duration interval, Duration evaluationTime, Optional<Instant> lastEvaluation, List<Rule> rules) {
    public RuleGroup {
        rules = List.copyOf(rules);
    }

    /**
     * A recording or alerting rule. {@code health} is ok | err | unknown; {@code state} is inactive | pending
     * | firing for alerting rules and empty for recording rules.
     */
    public record Rule(String name, Type type, String query, String health, String lastError, String state, Duration evaluationTime,
                       Optional<Instant> lastEvaluation, Map<String, String> labels, List<Alert> alerts) {
        public enum Type { ALERTING, RECORDING }

        public Rule {
            labels = Map.copyOf(labels);
            alerts = List.copyOf(alerts);
        }
    }

    /** An active (pending or firing) instance of an alerting rule; {@code value} as the rule computed it. */
    public record Alert(Map<String, String> labels, Map<String, String> annotations, String state, Optional<Instant> activeAt, double value) {
        public Alert {
            labels = Map.copyOf(labels);
            annotations = Map.copyOf(annotations);
        }
    }
}
