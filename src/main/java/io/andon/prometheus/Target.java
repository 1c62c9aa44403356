package io.andon.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** One active scrape target from /api/v1/targets. */
public record Target(String job, String instance, String health, Instant lastScrape, Duration lastScrapeDuration, String lastError,
                     Map<String, String> labels) {
    public Target {
        labels = Map.copyOf(labels);
    }
}
