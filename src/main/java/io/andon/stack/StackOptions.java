package io.andon.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a stack runs: scrape/evaluation intervals (tests scrape every second, the demo every 5 s), an
 * optional shortened {@code for:} for every alert (end-to-end alert tests), extra rule files, and an
 * optional replacement Prometheus config (broken-config tests), and {@code secured}: Prometheus and Alertmanager
 * behind web.config TLS + basic auth, Elasticsearch with xpack.security (TLS, users, API keys), all with a
 * throw-away CA ({@link StackSecurity}). The default is unsecured: plain HTTP starts faster.
 * {@code nativeHistograms}: Prometheus scrapes native histograms ({@code --enable-feature=native-histograms},
 * protobuf scrapes); off by default, as on most sites.
 */
public record StackOptions(
        Duration scrapeInterval,
        Duration evaluationInterval,
        Optional<Duration> ruleForOverride,
        List<Path> extraRuleFiles,
        Optional<Path> prometheusConfig,
        String label,
        boolean secured,
        Optional<Duration> alertResendDelay,
        boolean nativeHistograms) {

    public StackOptions(Duration scrapeInterval, Duration evaluationInterval, Optional<Duration> ruleForOverride, List<Path> extraRuleFiles,
                        Optional<Path> prometheusConfig, String label, boolean secured, Optional<Duration> alertResendDelay) {
        this(scrapeInterval, evaluationInterval, ruleForOverride, extraRuleFiles, prometheusConfig, label, secured, alertResendDelay, false);
    }

    public StackOptions(Duration scrapeInterval, Duration evaluationInterval, Optional<Duration> ruleForOverride,
                        List<Path> extraRuleFiles, Optional<Path> prometheusConfig, String label) {
        this(scrapeInterval, evaluationInterval, ruleForOverride, extraRuleFiles, prometheusConfig, label, false, Optional.empty());
    }

    public static StackOptions forTests() {
        return new StackOptions(Duration.ofSeconds(1), Duration.ofSeconds(1), Optional.empty(), List.of(), Optional.empty(), "test");
    }

    public static StackOptions forDemo() {
        return new StackOptions(Duration.ofSeconds(5), Duration.ofSeconds(5), Optional.empty(), List.of(), Optional.empty(), "demo");
    }

    public StackOptions withRuleFor(Duration d) {
        return new StackOptions(scrapeInterval, evaluationInterval, Optional.of(d), extraRuleFiles, prometheusConfig, label, secured, alertResendDelay, nativeHistograms);
    }

    public StackOptions withExtraRules(List<Path> files) {
        return new StackOptions(scrapeInterval, evaluationInterval, ruleForOverride, List.copyOf(files), prometheusConfig, label, secured, alertResendDelay, nativeHistograms);
    }

    public StackOptions withPrometheusConfig(Path file) {
        return new StackOptions(scrapeInterval, evaluationInterval, ruleForOverride, extraRuleFiles, Optional.of(file), label, secured, alertResendDelay, nativeHistograms);
    }

    /** TLS with a test CA and credentials on Prometheus, Alertmanager and Elasticsearch (label "secure"). */
    public StackOptions withSecurity() {
        return new StackOptions(scrapeInterval, evaluationInterval, ruleForOverride, extraRuleFiles, prometheusConfig, "secure", true, alertResendDelay, nativeHistograms);
    }

    /** A stack of its own next to the shared one: the label names its working directory. */
    public StackOptions withLabel(String l) {
        return new StackOptions(scrapeInterval, evaluationInterval, ruleForOverride, extraRuleFiles, prometheusConfig, l, secured, alertResendDelay, nativeHistograms);
    }

    /**
     * Prometheus' {@code --rules.alert.resend-delay} (default 1 m): how soon a firing alert that could not be
     * delivered (Alertmanager down) is sent again. Chaos tests shorten it as they shorten the intervals.
     */
    public StackOptions withAlertResendDelay(Duration d) {
        return new StackOptions(scrapeInterval, evaluationInterval, ruleForOverride, extraRuleFiles, prometheusConfig, label, secured, Optional.of(d), nativeHistograms);
    }

    /** Prometheus with native histograms on (a test profile; the default stack keeps classic scrapes only). */
    public StackOptions withNativeHistograms() {
        return new StackOptions(scrapeInterval, evaluationInterval, ruleForOverride, extraRuleFiles, prometheusConfig, label, secured, alertResendDelay, true);
    }
}
