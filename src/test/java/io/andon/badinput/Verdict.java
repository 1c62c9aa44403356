package io.andon.badinput;

import io.andon.badinput.BadResponses.Case;
import io.andon.badinput.BadResponses.Outcome;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Runs one case against one client call and judges it: bounded in time, success only for OK cases (and then the
 * case's own check), failure only as the client's own exception type with a message that names the source and the
 * class of problem in the client's words.
 */
final class Verdict {
    /** What the call did: its result or its failure, and what the calling thread allocated meanwhile. */
    record Run(Object result, Throwable error, long allocatedBytes) {}

    private Verdict() {}

    /** Bound for one case: the slowest (a timeout plus retries) takes a few seconds; a hang would not end. */
    static final Duration BOUND = Duration.ofSeconds(10);

    static Run run(Callable<Object> call) {
        return assertTimeoutPreemptively(BOUND, () -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            try {
                Object r = call.call();
                return new Run(r, null, mx.getCurrentThreadAllocatedBytes() - before);
            } catch (Throwable t) {
                return new Run(null, t, mx.getCurrentThreadAllocatedBytes() - before);
            }
        });
    }

    /**
     * @param errorType the client's own exception type
     * @param source    regex of how every message starts (the source's name)
     * @param words     per outcome, a regex the message must contain (the client's words for that problem)
     * @param okCheck   the check of the API's valid answer, for generic OK cases
     */
    static void judge(Case c, Run run, MockHttp mock, Class<? extends Throwable> errorType, String source,
                      Map<Outcome, String> words, java.util.function.Consumer<Object> okCheck) {
        if (c.outcome() == Outcome.OK) {
            if (run.error() != null) throw new AssertionError(c.id() + ": expected a parsed answer, got " + run.error(), run.error());
            (c.check() != null ? c.check() : okCheck).accept(run.result());
            return;
        }
        assertThat(run.error()).as(c.id() + ": expected a failure, got " + run.result()).isNotNull();
        String msg = run.error().getMessage();
        System.out.println("[" + c.id() + "] " + msg);
        assertThat(run.error()).as(c.id() + ": the client's own error type").isInstanceOf(errorType);
        assertThat(Pattern.compile(source).matcher(msg).lookingAt()).as(c.id() + ": '" + msg + "' starts with /" + source + "/").isTrue();
        String want = words.get(c.outcome());
        assertThat(want).as("words for " + c.outcome()).isNotNull();
        assertThat(Pattern.compile(want).matcher(msg).find()).as(c.id() + ": '" + msg + "' should say /" + want + "/ (" + c.outcome() + ")").isTrue();
        if (c.status() > 0) assertThat(msg).as(c.id()).contains("HTTP " + c.status());
        if (c.mention() != null) assertThat(msg).as(c.id() + ": carries the server's own words").contains(c.mention());
        // a person reads this: one line, no stack trace, no parser location, no library class names
        assertThat(msg).as(c.id()).doesNotContain("\n").doesNotContain("\tat ").doesNotContain("[Source:")
                .doesNotContainPattern("(com\\.fasterxml|okhttp3\\.|org\\.apache|java\\.(io|net|lang)\\.|jakarta\\.)")
                .hasSizeLessThan(500);
        if (c.outcome() == Outcome.TOO_LARGE) {
            // the cap stopped the reading: the server could not push its 50 MB through
            assertThat(mock.bytesSent()).as(c.id() + ": bytes the server got out").isLessThan(30L * 1024 * 1024);
        }
    }

    static Pattern p(String s) { return Pattern.compile(s); }
}
