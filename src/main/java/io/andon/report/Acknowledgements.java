package io.andon.report;

import io.andon.alertmanager.Silence;

import java.util.Optional;

/**
 * Which silences are acknowledgements. The karma convention: a silence whose comment starts with "ACK! " is an
 * acknowledgement, its author the owner. The ack branch brings io.andon.alertmanager.Acknowledgement.parse(Silence)
 * for the same convention: when it lands, {@link #parse} is the one method to point at it.
 */
public final class Acknowledgements {
    public static final String PREFIX = "ACK! ";

    public record Ack(String owner, String note) {}

    private Acknowledgements() {}

    public static Optional<Ack> parse(Silence s) {
        if (s.comment() == null || !s.comment().startsWith(PREFIX)) return Optional.empty();
        return Optional.of(new Ack(s.createdBy() == null || s.createdBy().isBlank() ? "?" : s.createdBy(), s.comment().substring(PREFIX.length()).strip()));
    }
}
