package io.andon.alertmanager;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ack/shelve convention on silences, both ways, without a server (the real-server side is AckSharedTest). */
class AcknowledgementTest {
    static final Instant T0 = Instant.parse("2026-12-06T04:00:00Z");

    static Silence silence(String id, String createdBy, String comment, Instant start, Silence.Matcher... ms) {
        return new Silence(id, List.of(ms), start, start.plusSeconds(900), createdBy, comment, "active");
    }

    static Alert alert(String fp, Map<String, String> labels, String... silencedBy) {
        return new Alert(fp, labels, Map.of(), T0, null, T0, silencedBy.length > 0 ? "suppressed" : "active", List.of(silencedBy), List.of(), List.of(), "", List.of());
    }

    @Test
    void ourCommentRoundTripsAndStartsWithKarmasPrefix() {
        String c = Acknowledgement.comment(Acknowledgement.Kind.ACK, "  db failover in progress ");
        assertThat(c).isEqualTo("ACK! db failover in progress").startsWith("ACK!");
        Acknowledgement k = Acknowledgement.parse(silence("s1", "lead", c, T0, Silence.Matcher.equal("alertname", "DatabaseDown"))).orElseThrow();
        assertThat(k.kind()).isEqualTo(Acknowledgement.Kind.ACK);
        assertThat(k.owner()).isEqualTo("lead");
        assertThat(k.note()).isEqualTo("db failover in progress");
        assertThat(k.since()).isEqualTo(T0);
        assertThat(k.until()).isEqualTo(T0.plusSeconds(900));
        assertThat(k.silenceId()).isEqualTo("s1");

        Acknowledgement s = Acknowledgement.parse(silence("s2", "lead", Acknowledgement.comment(Acknowledgement.Kind.SHELVE, "sensor replaced Monday"), T0,
                Silence.Matcher.equal("alertname", "X"))).orElseThrow();
        assertThat(s.kind()).isEqualTo(Acknowledgement.Kind.SHELVE);
        assertThat(s.note()).isEqualTo("sensor replaced Monday");
    }

    @Test
    void karmasDefaultAckCommentIsAnAck() {
        // karma's alertAcknowledgement.comment default with %NOW% filled in, as karma's own test expects it
        Acknowledgement k = Acknowledgement.parse(silence("k1", "me", "ACK! This alert was acknowledged using karma on Tue, 01 Feb 2000 00:00:00 GMT", T0,
                Silence.Matcher.equal("alertname", "Fake Alert"), new Silence.Matcher("foo", "(bar|baz)", true, true))).orElseThrow();
        assertThat(k.kind()).isEqualTo(Acknowledgement.Kind.ACK);
        assertThat(k.owner()).isEqualTo("me");
        assertThat(k.note()).isEqualTo("This alert was acknowledged using karma on Tue, 01 Feb 2000 00:00:00 GMT");
        // a karma group ack (regex matcher) covers each alert of the group
        assertThat(k.covers(alert("a", Map.of("alertname", "Fake Alert", "foo", "baz", "instance", "x")))).isTrue();
        assertThat(k.covers(alert("b", Map.of("alertname", "Fake Alert", "foo", "bazz")))).as("regex anchored as Alertmanager does").isFalse();
        // the bare prefix (karma's marshal test) is an ack with an empty note
        assertThat(Acknowledgement.parse(silence("k2", "karma", "ACK!", T0, Silence.Matcher.equal("a", "b"))).orElseThrow().note()).isEmpty();
    }

    @Test
    void ordinarySilencesAreNotAcks() {
        assertThat(Acknowledgement.parse(silence("x", "ops", "planned maintenance", T0, Silence.Matcher.equal("a", "b")))).isEmpty();
        assertThat(Acknowledgement.parse(silence("x", "ops", "ack! lower case is not karma's", T0, Silence.Matcher.equal("a", "b")))).isEmpty();
        assertThat(Acknowledgement.parse(silence("x", "ops", "see ACK! later", T0, Silence.Matcher.equal("a", "b")))).isEmpty();
        assertThat(Acknowledgement.parse(null)).isEmpty();
    }

    @Test
    void noteAndReasonAreRequired() {
        assertThatThrownBy(() -> Acknowledgement.comment(Acknowledgement.Kind.ACK, " ")).hasMessageContaining("note is required");
        assertThatThrownBy(() -> Acknowledgement.comment(Acknowledgement.Kind.SHELVE, null)).hasMessageContaining("reason is required");
    }

    @Test
    void matchersAreEveryLabelExactSorted() {
        List<Silence.Matcher> ms = Acknowledgement.matchers(Map.of("severity", "critical", "alertname", "DatabaseDown", "plant", "P01"));
        assertThat(ms).extracting(Silence.Matcher::name).containsExactly("alertname", "plant", "severity");
        assertThat(ms).allMatch(m -> m.isEqual() && !m.isRegex());
        assertThat(ms.get(1).value()).isEqualTo("P01");
        // a value that looks like a regex stays literal
        assertThat(Acknowledgement.matchers(Map.of("path", "/api/.*")).getFirst().matches("/api/x")).isFalse();
    }

    @Test
    void matcherSemanticsFollowAlertmanager() {
        assertThat(new Silence.Matcher("a", "b", false, false).matches("c")).isTrue();
        assertThat(new Silence.Matcher("a", "b.*", true, false).matches("bz")).isFalse();
        assertThat(new Silence.Matcher("a", "(", true, true).matches("(")).as("a regex that does not compile matches nothing").isFalse();
        Silence s = silence("s", "x", "ACK! y", T0, Silence.Matcher.equal("missing", ""));
        assertThat(s.matches(Map.of("other", "1"))).as("a missing label reads as empty").isTrue();
    }

    @Test
    void perAlertAnAckWinsOverAShelveAndTheOldestAckOverNewer() {
        Map<String, String> l = Map.of("alertname", "DatabaseDown", "plant", "P01");
        Silence.Matcher[] ms = Acknowledgement.matchers(l).toArray(Silence.Matcher[]::new);
        Silence shelve = silence("s-shelve", "a", "SHELVE! known", T0.minusSeconds(600), ms);
        Silence newer = silence("s-new", "b", "ACK! second", T0.plusSeconds(5), ms);
        Silence older = silence("s-old", "c", "ACK! first", T0, ms);
        Silence expired = new Silence("s-exp", List.of(ms), T0.minusSeconds(999), T0, "d", "ACK! gone", "expired");
        Map<String, Acknowledgement> by = Acknowledgement.byFingerprint(List.of(alert("f1", l), alert("f2", Map.of("alertname", "Other"))),
                List.of(shelve, newer, older, expired));
        assertThat(by).containsOnlyKeys("f1");
        assertThat(by.get("f1").silenceId()).isEqualTo("s-old");
        // Alertmanager saying it silences the alert counts even when the matchers were not read the same way
        Silence other = silence("s-am", "e", "ACK! by id", T0, Silence.Matcher.equal("alertname", "Nope"));
        assertThat(Acknowledgement.byFingerprint(List.of(alert("f3", Map.of("alertname", "Z"), "s-am")), List.of(other))).containsKey("f3");
    }
}
