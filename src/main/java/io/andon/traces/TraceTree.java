package io.andon.traces;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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

    private TraceTree(Trace trace, List<Row> rows, long start, long end, List<String> problems) {
        this.trace = trace;
        this.rows = rows;
        this.startMicros = start;
        this.endMicros = end;
        this.problems = problems;
    }

    public Trace trace() { return trace; }

    /** Depth-first, children in start order. */
    public List<Row> rows() { return rows; }

    public long startMicros() { return startMicros; }

    public long endMicros() { return endMicros; }

    public long durationMicros() { return endMicros - startMicros; }

    /** The source's problems plus what building the tree found (missing parents, duplicate ids, cycles). */
    public List<String> problems() { return problems; }

    public static TraceTree of(Trace trace) {
        List<String> problems = new ArrayList<>(trace.problems());
        // duplicate span ids: the first one keeps the id, later ones are kept as separate rows (Zipkin's B3
        // shared server/client spans, or a broken client): nothing is dropped
        Map<String, Span> byId = new LinkedHashMap<>();
        List<Span> all = new ArrayList<>();
        int dup = 0;
        for (Span s : trace.spans()) {
            if (byId.putIfAbsent(s.spanId(), s) != null) dup++;
            all.add(s);
        }
        if (dup > 0) problems.add(dup + " span(s) share an id with another span");
        Map<Span, List<Span>> children = new HashMap<>();
        List<Span> roots = new ArrayList<>();
        Set<Span> orphans = new HashSet<>();
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
        Set<Span> critical = criticalPath(roots, children);
        List<Row> rows = new ArrayList<>(all.size());
        Set<Span> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        // iterative depth-first walk: a 10 000-deep chain must not overflow the stack
        record Frame(Span span, int depth, Span parent) {}
        java.util.ArrayDeque<Frame> stack = new java.util.ArrayDeque<>();
        for (int i = roots.size() - 1; i >= 0; i--) stack.push(new Frame(roots.get(i), 0, null));
        while (!stack.isEmpty()) {
            Frame f = stack.pop();
            if (!seen.add(f.span())) continue;
            List<Span> kids = children.getOrDefault(f.span(), List.of());
            boolean skewed = f.parent() != null && (f.span().startMicros() < f.parent().startMicros()
                    || f.span().endMicros() > f.parent().endMicros() && f.parent().kind() != Span.Kind.PRODUCER && f.span().kind() != Span.Kind.CONSUMER);
            rows.add(new Row(f.span(), f.depth(), kids.size(), orphans.contains(f.span()), skewed, critical.contains(f.span())));
            for (int i = kids.size() - 1; i >= 0; i--) stack.push(new Frame(kids.get(i), f.depth() + 1, f.span()));
        }
        if (rows.size() < all.size()) {
            // a cycle of parent ids: those spans are never reached from a root; draw them as roots
            problems.add((all.size() - rows.size()) + " span(s) in a cycle of parent ids");
            for (Span s : all) if (seen.add(s)) rows.add(new Row(s, 0, 0, true, false, false));
        }
        long start = all.stream().mapToLong(Span::startMicros).min().orElse(0);
        long end = all.stream().mapToLong(Span::endMicros).max().orElse(0);
        return new TraceTree(trace, List.copyOf(rows), start, end, List.copyOf(problems));
    }

    /**
     * The critical path, as Jaeger computes it: from each span's end, walk back through the child that ended
     * last before the point reached, then the time before that child belongs to the parent. Spans on it are
     * where shortening the trace would pay.
     */
    static Set<Span> criticalPath(List<Span> roots, Map<Span, List<Span>> children) {
        Set<Span> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (roots.isEmpty()) return out;
        Span longest = roots.stream().max(Comparator.comparingLong(Span::endMicros)).orElseThrow();
        java.util.ArrayDeque<Span> work = new java.util.ArrayDeque<>();
        work.push(longest);
        while (!work.isEmpty()) {
            Span s = work.pop();
            if (!out.add(s)) continue;
            List<Span> kids = new ArrayList<>(children.getOrDefault(s, List.of()));
            kids.sort(Comparator.comparingLong(Span::endMicros).reversed());
            long cursor = s.endMicros();
            for (Span k : kids) {
                if (k.endMicros() <= cursor && k.endMicros() > s.startMicros()) {
                    work.push(k);
                    cursor = Math.max(s.startMicros(), k.startMicros());
                } else if (k.endMicros() > cursor && k.startMicros() < cursor) {
                    // overlaps the point reached (a child ending after its parent: async or skew)
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

    /** The slowest span by self time (its duration less its children's), the one a latency pivot points at. */
    public Span slowestBySelfTime() {
        Span best = null;
        long bestSelf = -1;
        Map<String, Long> childTime = new HashMap<>();
        for (Row r : rows) {
            Span s = r.span();
            if (s.parentId() != null) childTime.merge(s.parentId(), s.durationMicros(), Long::sum);
        }
        for (Row r : rows) {
            long self = r.span().durationMicros() - childTime.getOrDefault(r.span().spanId(), 0L);
            if (self > bestSelf) {
                bestSelf = self;
                best = r.span();
            }
        }
        return best;
    }
}
