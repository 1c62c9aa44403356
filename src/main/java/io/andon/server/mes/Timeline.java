package io.andon.server.mes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A scripted run of scenarios, e.g. a night shift for a demo or an end-to-end test:
 * <pre>
 * repeat: true
 * steps:
 *   - {scenario: normal, duration: 2m}
 *   - {scenario: latency-spike, duration: 5m}
 * </pre>
 */
public record Timeline(boolean repeat, List<Step> steps) {
    public record Step(String scenario, String duration) {
        Duration length() {
            try {
                return io.andon.util.Durations.parse(duration == null ? "" : duration);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("step " + scenario + ": duration '" + duration + "' (use 30s, 5m, 1h)");
            }
        }
    }

    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public static Timeline load(Path file) {
        try {
            Timeline t = YAML.readValue(file.toFile(), Timeline.class);
            if (t.steps() == null || t.steps().isEmpty()) throw new IllegalArgumentException(file + ": no steps");
            for (Step s : t.steps()) {
                Scenario.of(s.scenario());
                s.length();
            }
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Plays the steps on a virtual thread; the switch callback runs at each step. */
    public Thread play(Consumer<Scenario> switchTo) {
        return Thread.ofVirtual().name("timeline").start(() -> {
            do {
                for (Step s : steps) {
                    switchTo.accept(Scenario.of(s.scenario()));
                    try {
                        Thread.sleep(s.length());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            } while (repeat);
        });
    }
}
