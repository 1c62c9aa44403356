package io.andon.traces;

import io.andon.net.Endpoint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The waterfall's model: order, depth, critical path, skew, orphans, duplicates, cycles, search, self time. */
class TraceTreeTest {
    static Span span(String id, String parent, long start, long dur) {
        return span(id, parent, start, dur, Span.Kind.INTERNAL, Map.of());
    }

    static Span span(String id, String parent, long start, long dur, Span.Kind kind, Map<String, String> tags) {
        return new Span("t1", id, parent, "op-" + id, "svc", kind, start, dur, false, tags, List.of());
    }

    static TraceTree tree(Span... spans) { return TraceTree.of(new Trace("t1", List.of(spans))); }

    static List<String> critical(TraceTree t) {
        return t.rows().stream().filter(TraceTree.Row::critical).map(r -> r.span().spanId()).toList();
    }

    static List<String> order(TraceTree t) { return t.rows().stream().map(r -> r.span().spanId()).toList(); }

    @Test
    void criticalPathWithOverlappingChildrenAsJaegerUi() {
        // jaeger-ui CriticalPath testCases/test2.js (packages/jaeger-ui/src/components/TracePage/CriticalPath):
        // X 1..101 with A 10..50 and C 20..60: C ends last, A ends after C started, so the path is X, C (not A)
        TraceTree t = tree(span("X", null, 1, 100), span("A", "X", 10, 40), span("C", "X", 20, 40));
        assertThat(order(t)).containsExactly("X", "A", "C");
        assertThat(critical(t)).containsExactly("X", "C");
    }

    @Test
    void criticalPathThroughSequentialAndNestedChildren() {
        // root 0..100: db 0..30, then process 40..90 with its children early 41..46 and ext 50..85 one after
        // the other; a child starting after the root ended (async) is not on the path
        TraceTree t = tree(span("root", null, 0, 100), span("db", "root", 0, 30), span("proc", "root", 40, 50),
                span("ext", "proc", 50, 35), span("async", "root", 120, 10), span("early", "proc", 41, 5));
        assertThat(critical(t)).containsExactlyInAnyOrder("root", "db", "proc", "early", "ext");
        assertThat(order(t)).containsExactly("root", "db", "proc", "early", "ext", "async");
        assertThat(t.rows()).filteredOn(r -> r.span().spanId().equals("async")).singleElement().extracting(TraceTree.Row::skewed).isEqualTo(true);
    }

    @Test
    void childEndingAfterItsParentIsCutToTheParentOnThePath() {
        TraceTree t = tree(span("p", null, 0, 100), span("late", "p", 50, 100), span("first", "p", 0, 40));
        assertThat(critical(t)).containsExactlyInAnyOrder("p", "late", "first");
    }

    @Test
    void clockSkewChildBeforeParentIsKeptAndMarked() {
        // the client span 0..100 calls a server on a host whose clock is 30 µs behind: the server starts "before" it
        Span client = span("c", null, 1000, 100, Span.Kind.CLIENT, Map.of());
        Span server = span("s", "c", 970, 80, Span.Kind.SERVER, Map.of());
        TraceTree t = tree(client, server);
        assertThat(t.rows()).hasSize(2);
        TraceTree.Row row = t.rows().get(1);
        assertThat(row.span()).isSameAs(server);
        assertThat(row.skewed()).isTrue();
        assertThat(row.depth()).isEqualTo(1);
        assertThat(row.span().startMicros()).as("drawn where it says it was").isEqualTo(970);
        assertThat(t.startMicros()).isEqualTo(970);
        assertThat(t.rows().getFirst().skewed()).isFalse();
    }

    @Test
    void orphansFromJaegerUiContractAreExtraRoots() throws Exception {
        Trace tr = JaegerTraceSource.parse(new TraceHttp("Jaeger", Endpoint.of("http://127.0.0.1:9")), null,
                UpstreamFixturesTest.json("jaeger-ui/multiple-orphans.legacy.json"));
        TraceTree t = TraceTree.of(tr);
        assertThat(t.rows()).hasSize(5);
        assertThat(t.rows()).filteredOn(TraceTree.Row::orphan).extracting(r -> r.span().name()).containsExactly("orphanOp1", "orphanOp2");
        assertThat(t.rows()).filteredOn(r -> r.depth() == 0).extracting(r -> r.span().name()).containsExactly("orphanOp1", "rootOperation", "orphanOp2");
        assertThat(t.rows()).filteredOn(r -> r.depth() == 1).extracting(r -> r.span().name()).containsExactly("someOperationName", "anotherOperationName");
        assertThat(t.problems()).contains("2 span(s) whose parent is not in the trace");
    }

    @Test
    void parentCycleFromJaegerUiContractIsOpenedNotLost() throws Exception {
        Trace tr = JaegerTraceSource.parse(new TraceHttp("Jaeger", Endpoint.of("http://127.0.0.1:9")), null,
                UpstreamFixturesTest.json("jaeger-ui/parent-cycle.legacy.json"));
        TraceTree t = TraceTree.of(tr);
        assertThat(order(t)).containsExactly("000000000000000a", "000000000000000b");
        assertThat(t.rows()).extracting(TraceTree.Row::depth).containsExactly(0, 1);
        assertThat(t.rows().getFirst().orphan()).isTrue();
        assertThat(t.problems()).contains("2 span(s) in a cycle of parent ids");
        assertThat(critical(t)).isNotEmpty();
    }

    @Test
    void cycleWithATailAndAHealthyRoot() {
        TraceTree t = tree(span("r", null, 0, 10), span("a", "b", 5, 10), span("b", "a", 6, 10), span("tail", "b", 7, 1));
        assertThat(order(t)).containsExactly("r", "a", "b", "tail");
        assertThat(t.rows()).extracting(TraceTree.Row::depth).containsExactly(0, 0, 1, 2);
        assertThat(t.problems()).contains("3 span(s) in a cycle of parent ids");
    }

    @Test
    void duplicateIdsAreBothDrawn() {
        Span a1 = span("a", null, 0, 10);
        Span a2 = span("a", null, 0, 10); // equal in every field: still two rows
        TraceTree t = tree(a1, a2, span("k", "a", 2, 3));
        assertThat(t.rows()).hasSize(3);
        assertThat(t.rows()).extracting(TraceTree.Row::span).anySatisfy(s -> assertThat(s).isSameAs(a1)).anySatisfy(s -> assertThat(s).isSameAs(a2));
        assertThat(t.problems()).contains("1 span(s) share an id with another span");
    }

    @Test
    void selfParentIsARootNotALoop() {
        TraceTree t = tree(span("s", "s", 0, 10));
        assertThat(t.rows()).singleElement().extracting(TraceTree.Row::orphan).isEqualTo(true);
    }

    @Test
    void findSearchesNamesTagsAndEvents() {
        Span db = new Span("t1", "d", "r", "SELECT orders", "mes", Span.Kind.CLIENT, 10, 5, false,
                Map.of("db.statement", "SELECT * FROM orders WHERE id = ?"), List.of());
        Span err = new Span("t1", "e", "r", "process", "mes", Span.Kind.INTERNAL, 20, 5, true, Map.of(),
                List.of(new Span.Event(22, "exception", Map.of("exception.type", "java.sql.SQLTransientConnectionException"))));
        TraceTree t = tree(span("r", null, 0, 100), db, err);
        assertThat(t.find("orders")).containsExactly(1);
        assertThat(t.find("sqltransient")).containsExactly(2);
        assertThat(t.find("op-r")).containsExactly(0);
        assertThat(t.find("MES")).containsExactly(1, 2);
        assertThat(t.find(" ")).isEmpty();
        assertThat(t.find("nothing like it")).isEmpty();
    }

    @Test
    void slowestBySelfTimeCountsParallelChildrenOnce() {
        // parent 0..100 with children 0..90 and 10..80 in parallel: its self time is 10, not 100-90-70 < 0
        TraceTree t = tree(span("p", null, 0, 100), span("a", "p", 0, 90), span("b", "p", 10, 70), span("c", "a", 0, 20));
        Span p = t.rows().getFirst().span();
        assertThat(t.selfMicros(p)).isEqualTo(10);
        assertThat(t.slowestBySelfTime().spanId()).as("a: 90 - 20").isEqualTo("a");
        assertThat(t.selfMicros(t.rows().get(1).span())).isEqualTo(70);
        assertThat(TraceTree.of(new Trace("x", List.of())).slowestBySelfTime()).isNull();
    }

    @Test
    void tenThousandSpansDeepAndWide() {
        List<Span> chain = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) chain.add(span("s" + i, i == 0 ? null : "s" + (i - 1), i, 20_000 - 2L * i));
        long t0 = System.nanoTime();
        TraceTree deep = TraceTree.of(new Trace("t1", chain));
        long deepMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(deep.rows()).hasSize(10_000);
        assertThat(deep.rows().getLast().depth()).isEqualTo(9_999);
        assertThat(deep.rows()).allMatch(TraceTree.Row::critical);
        List<Span> wide = new ArrayList<>();
        wide.add(span("root", null, 0, 1_000_000));
        for (int i = 0; i < 9_999; i++) wide.add(span("w" + i, "root", 9_999 - i, 50, Span.Kind.CLIENT, Map.of("db.statement", "SELECT " + i)));
        t0 = System.nanoTime();
        TraceTree flat = TraceTree.of(new Trace("t1", wide));
        long wideMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(flat.rows()).hasSize(10_000);
        assertThat(flat.rows().get(1).span().spanId()).as("children in start order").isEqualTo("w9998");
        assertThat(flat.find("SELECT 4242")).hasSize(1);
        System.out.println("TraceTree 10 000 spans: chain " + deepMs + " ms, flat " + wideMs + " ms");
    }
}
