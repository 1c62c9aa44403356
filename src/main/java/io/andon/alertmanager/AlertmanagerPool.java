package io.andon.alertmanager;

import io.andon.net.SourceException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several Alertmanagers (an HA pair) read as one: queried concurrently, alerts merged by fingerprint. One
 * member down still gives the list, with a warning naming it; all down is an error.
 */
public final class AlertmanagerPool implements AutoCloseable {
    /** One poll of the pool: merged alerts and silences, and how each member fared. */
    public record Result(List<Alert> alerts, List<Silence> silences, List<String> memberErrors, List<MemberHealth> health) {
        public Result {
            alerts = List.copyOf(alerts);
            silences = List.copyOf(silences);
            memberErrors = List.copyOf(memberErrors);
            health = List.copyOf(health);
        }
    }

    /** A member's answer to the last poll: {@code error} is null when it answered. */
    public record MemberHealth(String name, boolean up, String error, java.time.Duration latency) {}

    private final List<AlertmanagerClient> members;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    public AlertmanagerPool(List<AlertmanagerClient> members) {
        if (members.isEmpty()) throw new IllegalArgumentException("no Alertmanager configured");
        this.members = List.copyOf(members);
    }

    private volatile List<MemberHealth> lastHealth = List.of();

    public List<AlertmanagerClient> members() { return members; }

    /** How each member fared in the last fetch (also when all failed). */
    public List<MemberHealth> lastHealth() { return lastHealth; }

    public Result fetch() throws SourceException {
        List<Future<AlertmanagerClient.Listing<Alert>>> alerts = new ArrayList<>();
        List<Future<AlertmanagerClient.Listing<Silence>>> silences = new ArrayList<>();
        for (AlertmanagerClient m : members) {
            alerts.add(pool.submit(() -> m.readAlerts(AlertmanagerClient.AlertQuery.ALL)));
            silences.add(pool.submit(m::readSilences));
        }
        // items a member sent but that could not be read: shown with the member errors, never dropped silently
        List<String> unreadable = new ArrayList<>();
        Map<String, Alert> merged = new LinkedHashMap<>();
        Map<String, Silence> mergedSilences = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        List<MemberHealth> health = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < members.size(); i++) {
            String name = members.get(i).name();
            try {
                AlertmanagerClient.Listing<Alert> gotListing = alerts.get(i).get();
                AlertmanagerClient.Listing<Silence> silenceListing = silences.get(i).get();
                List<Alert> got = gotListing.items();
                List<Silence> gotSilences = silenceListing.items();
                if (!gotListing.unreadable().isEmpty()) unreadable.add(name + ": " + gotListing.summary("alerts"));
                if (!silenceListing.unreadable().isEmpty()) unreadable.add(name + ": " + silenceListing.summary("silences"));
                health.add(new MemberHealth(name, true, null, java.time.Duration.ofNanos(System.nanoTime() - t0)));
                for (Alert a : got) merged.merge(key(a), a.withSources(List.of(name)), AlertmanagerPool::merge);
                for (Silence s : gotSilences) mergedSilences.putIfAbsent(s.id(), s);
            } catch (java.util.concurrent.ExecutionException e) {
                String msg = e.getCause().getMessage();
                // the message normally names the member already; make sure it does
                if (msg == null || !msg.contains(name)) msg = name + ": " + (msg == null ? e.getCause().getClass().getSimpleName() : msg);
                errors.add(msg);
                health.add(new MemberHealth(name, false, msg, java.time.Duration.ofNanos(System.nanoTime() - t0)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(SourceException.Kind.TIMEOUT, "interrupted");
            }
        }
        lastHealth = List.copyOf(health);
        if (errors.size() == members.size()) {
            throw new SourceException(SourceException.Kind.UNREACHABLE, String.join("; ", errors));
        }
        List<Alert> list = new ArrayList<>(merged.values());
        list.sort(Comparator.comparing(Alert::startsAt, Comparator.nullsLast(Comparator.reverseOrder())));
        errors.addAll(unreadable);
        return new Result(list, new ArrayList<>(mergedSilences.values()), errors, health);
    }

    /**
     * Which alerts are the same across members: the fingerprint; an alert without one (a proxy or an old version
     * that drops it) by its labels, so that two different alerts never collapse into one under "".
     */
    static String key(Alert a) {
        return a.fingerprint() == null || a.fingerprint().isBlank() ? "labels:" + new java.util.TreeMap<>(a.labels()) : a.fingerprint();
    }

    /** Same alert seen by two members: silenced if either silenced it, newest update wins otherwise. */
    static Alert merge(Alert x, Alert y) {
        Alert newer = y.updatedAt() != null && (x.updatedAt() == null || y.updatedAt().isAfter(x.updatedAt())) ? y : x;
        List<String> silencedBy = new ArrayList<>(x.silencedBy());
        y.silencedBy().stream().filter(s -> !silencedBy.contains(s)).forEach(silencedBy::add);
        List<String> inhibitedBy = new ArrayList<>(x.inhibitedBy());
        y.inhibitedBy().stream().filter(s -> !inhibitedBy.contains(s)).forEach(inhibitedBy::add);
        String state = !silencedBy.isEmpty() || !inhibitedBy.isEmpty() ? "suppressed" : newer.state();
        List<String> sources = new ArrayList<>(x.sources());
        y.sources().stream().filter(s -> !sources.contains(s)).forEach(sources::add);
        return new Alert(newer.fingerprint(), newer.labels(), newer.annotations(), newer.startsAt(), newer.endsAt(),
                newer.updatedAt(), state, silencedBy, inhibitedBy, newer.receivers(),
                newer.generatorUrl(), sources);
    }

    /**
     * Creates a silence on the first member that answers: an HA cluster gossips it to the others (creating it
     * on each would make one silence per member).
     */
    public String createSilence(List<Silence.Matcher> matchers, Instant startsAt, Instant endsAt, String author, String comment) throws SourceException {
        SourceException last = null;
        for (AlertmanagerClient m : members) {
            try {
                return m.createSilence(matchers, startsAt, endsAt, author, comment);
            } catch (SourceException e) {
                if (e.kind() == SourceException.Kind.API_ERROR) throw e; // a validation error is the same everywhere
                last = e;
            }
        }
        throw last;
    }

    /** Updates a silence by id on the first member that answers (the pair gossips it), see {@link AlertmanagerClient#updateSilence}. */
    public String updateSilence(Silence s, Instant endsAt, String author, String comment) throws SourceException {
        SourceException last = null;
        for (AlertmanagerClient m : members) {
            try {
                return m.updateSilence(s, endsAt, author, comment);
            } catch (SourceException e) {
                if (e.kind() == SourceException.Kind.API_ERROR) throw e;
                last = e;
            }
        }
        throw last;
    }

    /**
     * The alerts matching these matchers, asked of every member now (not from the last poll): Prometheus sends each
     * alert to each member, so the union is the truth. Throws only when no member answered.
     */
    public List<Alert> alertsMatching(List<Silence.Matcher> matchers) throws SourceException {
        Map<String, Alert> out = new LinkedHashMap<>();
        SourceException last = null;
        int ok = 0;
        for (AlertmanagerClient m : members) {
            try {
                for (Alert a : m.alerts(AlertmanagerClient.AlertQuery.ALL.withFilter(matchers))) out.putIfAbsent(key(a), a);
                ok++;
            } catch (SourceException e) {
                last = e;
            }
        }
        if (ok == 0) throw last;
        return new ArrayList<>(out.values());
    }

    /** Expires a silence on every member that has it, so no member keeps muting while gossip catches up. */
    public void expireSilence(String id) throws SourceException {
        int ok = 0;
        SourceException last = null;
        for (AlertmanagerClient m : members) {
            try {
                m.expireSilence(id);
                ok++;
            } catch (SourceException e) {
                last = e;
            }
        }
        if (ok == 0 && last != null) throw last;
    }

    @Override
    public void close() { pool.shutdownNow(); }
}
