package io.andon.traces;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trace as a tree, in the order a waterfall draws it (depth first, children by start time), with what the
 * drawing needs: depth, the critical path, and the spans whose parent is missing (drawn as extra roots, marked,
 * never dropped). A child that starts before its parent (clock skew between services) keeps its own times and
 * is marked {@code skewed}: the waterfall draws it where it says it was.
 */
public final class TraceTree {
    /** One row of the waterfall. */
    public record Row(Span span, int depth, int childCount, boolean orphan, boolean skewed, boolean critical) {}

    private final Trace trace;
    private final List<Row> rows;
    private final long startMicros;
    private final long endMicros;
    private final List<String> problems;
    private final Map<Span, List<Span>> children;

    private TraceTree(Trace trace, List<Row> rows, long start, long end, List<String> problems, Map<Span, List<Span>> children) {
        this.trace = trace;
        this.rows = rows;
        this.startMicros = start;
        this.endMicros = end;
        this.problems = problems;
        this.children = children;
    }

    public Trace trace() { return trace; }

    /** Depth-first, children in start order. */
    public List<Row> rows() { return rows; }

    public long startMicros() { return startMicros; }

    public long endMicros() { return endMicros; }

    public long durationMicros() { return endMicros - startMicros; }

    /** The source's problems plus what building the tree found (missing parents, duplicate ids, cycles). */
    public List<String> problems() { return problems; }

    /** The spans drawn under this one, in start order (empty for a leaf). */
    public List<Span> children(Span s) { return children.getOrDefault(s, List.of()); }

    public static TraceTree of(Trace trace) {
        List<String> problems = new ArrayList<>(trace.problems());
        // duplicate span ids: the first one keeps the id, later ones are kept as separate rows (Zipkin's B3
        // shared server/client spans, or a broken client): nothing is dropped. Maps are by identity: two spans
        // with equal fields are still two rows, and a record's hash over its tags is not paid 10 000 times
        Map<String, Span> byId = new HashMap<>();
        List<Span> all = new ArrayList<>(trace.spans());
        int dup = 0;
        for (Span s : all) {
            if (byId.putIfAbsent(s.spanId(), s) != null) dup++;
        }
        if (dup > 0) problems.add(dup + " span(s) share an id with another span");
        Map<Span, List<Span>> children = new IdentityHashMap<>();
        List<Span> roots = new ArrayList<>();
        Set<Span> orphans = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Span s : all) {
            Span parent = s.parentId() == null ? null : byId.get(s.parentId());
            if (parent == null || parent == s) {
                roots.add(s);
                if (s.parentId() != null) orphans.add(s);
            } else {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(s);
            }
        }
        if (!orphans.isEmpty()) problems.add(orphans.size() + " span(s) whose parent is not in the trace");
        Comparator<Span> byStart = Comparator.comparingLong(Span::startMicros).thenComparing(Span::spanId);
        roots.sort(byStart);
        children.values().forEach(l -> l.sort(byStart));
        List<Row> rows = new ArrayList<>(all.size());
        Set<Span> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        walk(roots, children, orphans, seen, rows);
        if (rows.size() < all.size()) {
            // a cycle of parent ids: those spans (and what hangs off them) are never reached from a root. Each
            // cycle is opened at its earliest span, drawn as an orphan root with the rest below it
            problems.add((all.size() - rows.size()) + " span(s) in a cycle of parent ids");
            List<Span> left = new ArrayList<>();
            for (Span s : all) if (!seen.contains(s)) left.add(s);
            left.sort(byStart);
            for (Span s : left) {
                if (seen.contains(s)) continue;
                orphans.add(s);
                roots.add(s);
                walk(List.of(s), children, orphans, seen, rows);
            }
        }
        Set<Span> critical = criticalPath(roots, children);
        List<Row> marked = new ArrayList<>(rows.size());
        for (Row r : rows) marked.add(critical.contains(r.span()) ? new Row(r.span(), r.depth(), r.childCount(), r.orphan(), r.skewed(), true) : r);
        long start = all.stream().mapToLong(Span::startMicros).min().orElse(0);
        long end = all.stream().mapToLong(Span::endMicros).max().orElse(0);
        return new TraceTree(trace, List.copyOf(marked), start, end, List.copyOf(problems), children);
    }

    /** Iterative depth-first walk: a 10 000-deep chain must not overflow the stack. A span is drawn once. */
    private static void walk(List<Span> from, Map<Span, List<Span>> children, Set<Span> orphans, Set<Span> seen, List<Row> rows) {
        record Frame(Span span, int depth, Span parent) {}
        ArrayDeque<Frame> stack = new ArrayDeque<>();
        for (int i = from.size() - 1; i >= 0; i--) stack.push(new Frame(from.get(i), 0, null));
        while (!stack.isEmpty()) {
            Frame f = stack.pop();
            if (!seen.add(f.span())) continue;
            List<Span> kids = children.getOrDefault(f.span(), List.of());
            Span p = f.parent();
            boolean skewed = p != null && (f.span().startMicros() < p.startMicros()
                    || f.span().endMicros() > p.endMicros() && p.kind() != Span.Kind.PRODUCER && f.span().kind() != Span.Kind.CONSUMER);
            int drawn = 0;
            for (Span k : kids) if (!seen.contains(k)) drawn++;
            rows.add(new Row(f.span(), f.depth(), drawn, orphans.contains(f.span()), skewed, false));
            for (int i = kids.size() - 1; i >= 0; i--) if (!seen.contains(kids.get(i))) stack.push(new Frame(kids.get(i), f.depth() + 1, f.span()));
        }
    }

    /**
     * The critical path, as Jaeger's UI computes it: from the end of the root that ends last, walk back through
     * the child that ended last before the point reached; the time before that child's start belongs to the
     * parent again. Children are first cut to their parent's span (one that ends after it counts up to the
     * parent's end; one that starts after the parent ended is async work, not on the path). Spans on it are where
     * shortening the trace would pay.
     */
    static Set<Span> criticalPath(List<Span> roots, Map<Span, List<Span>> children) {
        Set<Span> out = Collections.newSetFromMap(new IdentityHashMap<>());
        if (roots.isEmpty()) return out;
        Span longest = roots.stream().max(Comparator.comparingLong(Span::endMicros)).orElseThrow();
        ArrayDeque<Span> work = new ArrayDeque<>();
        work.push(longest);
        while (!work.isEmpty()) {
            Span s = work.pop();
            if (!out.add(s)) continue;
            List<Span> kids = new ArrayList<>();
            for (Span k : children.getOrDefault(s, List.of())) if (k.startMicros() < s.endMicros() && k.endMicros() > s.startMicros()) kids.add(k);
            kids.sort(Comparator.comparingLong((Span k) -> Math.min(k.endMicros(), s.endMicros())).reversed());
            long cursor = s.endMicros();
            for (Span k : kids) {
                long end = Math.min(k.endMicros(), s.endMicros());
                if (end <= cursor) {
                    work.push(k);
                    cursor = Math.max(s.startMicros(), k.startMicros());
                }
            }
        }
        return out;
    }

    /** Rows whose name, service, tags or event text contain the text (case-insensitive): the waterfall's search. */
    public List<Integer> find(String text) {
        List<Integer> hits = new ArrayList<>();
        if (text == null || text.isBlank()) return hits;
        String t = text.toLowerCase(java.util.Locale.ROOT);
        for (int i = 0; i < rows.size(); i++) {
            Span s = rows.get(i).span();
            if (contains(s.name(), t) || contains(s.service(), t) || contains(s.spanId(), t)
                    || s.tags().entrySet().stream().anyMatch(e -> contains(e.getKey(), t) || contains(e.getValue(), t))
                    || s.events().stream().anyMatch(e -> contains(e.name(), t) || e.attributes().values().stream().anyMatch(v -> contains(v, t)))) {
                hits.add(i);
            }
        }
        return hits;
    }

    private static boolean contains(String s, String lower) {
        return s != null && s.toLowerCase(java.util.Locale.ROOT).contains(lower);
    }

    /**
     * A span's self time: its duration less the time its children cover within it (their union, so two parallel
     * children are not subtracted twice and the self time never goes below zero).
     */
    public long selfMicros(Span s) {
        List<long[]> iv = new ArrayList<>();
        for (Span k : children(s)) {
            long a = Math.max(s.startMicros(), k.startMicros());
            long b = Math.min(s.endMicros(), k.endMicros());
            if (b > a) iv.add(new long[]{a, b});
        }
        iv.sort(Comparator.comparingLong(x -> x[0]));
        long covered = 0;
        long curA = Long.MIN_VALUE;
        long curB = Long.MIN_VALUE;
        for (long[] x : iv) {
            if (x[0] > curB) {
                if (curB > curA) covered += curB - curA;
                curA = x[0];
                curB = x[1];
            } else {
                curB = Math.max(curB, x[1]);
            }
        }
        if (curB > curA) covered += curB - curA;
        return Math.max(0, s.durationMicros() - covered);
    }

    /** The slowest span by self time, the one a latency pivot points at; null for an empty trace. */
    public Span slowestBySelfTime() {
        Span best = null;
        long bestSelf = -1;
        for (Row r : rows) {
            long self = selfMicros(r.span());
            if (self > bestSelf) {
                bestSelf = self;
                best = r.span();
            }
        }
        return best;
    }
}
