package io.andon.prometheus;

import java.util.List;

/** An instant query's answer: the samples (a scalar is one sample without labels) and any warnings. */
public record QueryResult(String resultType, List<Sample> samples, List<String> warnings) {
    public QueryResult {
        samples = List.copyOf(samples);
        warnings = List.copyOf(warnings);
    }
}
