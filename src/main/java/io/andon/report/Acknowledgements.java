package io.andon.report;

import io.andon.alertmanager.Silence;

import java.util.Optional;

/**
 * Which silences are acknowledgements, for the report: the one convention ({@code ACK! } comment, owner = author,
 * karma's) is {@link io.andon.alertmanager.Acknowledgement}; a shelve is not an acknowledgement here.
 */
public final class Acknowledgements {
    public record Ack(String owner, String note) {}

    private Acknowledgements() {}

    public static Optional<Ack> parse(Silence s) {
        return io.andon.alertmanager.Acknowledgement.parse(s)
                .filter(a -> a.kind() == io.andon.alertmanager.Acknowledgement.Kind.ACK)
                .map(a -> new Ack(a.owner().isBlank() ? "?" : a.owner(), a.note()));
    }
}
