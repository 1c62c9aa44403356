package io.andon.scaleout;

import io.andon.stack.JavaService;
import io.andon.stack.Prometheus;
import io.andon.stack.Stack;
import io.andon.stack.VictoriaMetrics;

import java.util.List;

/**
 * Two simulated plants remote-writing into one VictoriaMetrics: SH01 (MES under load + the exporter) and SH02
 * (a second MES), each scraped by its own Prometheus that labels its series {@code site=…}.
 */
public record TwoPlants(VictoriaMetrics vm, Prometheus sh01, Prometheus sh02) {
    public static TwoPlants start(Stack stack) {
        VictoriaMetrics vm = stack.victoriaMetrics();
        JavaService mes1 = stack.mes("--seed", "--load", "--load-rate", "20");
        JavaService exporter = stack.exporter("--db-interval", "1s", "--business-interval", "1s");
        JavaService mes2 = stack.mesInstance("mes-sh02", "--load", "--load-rate", "20");
        Prometheus p1 = stack.plantPrometheus("SH01", vm.remoteWriteUri());
        Prometheus p2 = stack.plantPrometheus("SH02", vm.remoteWriteUri());
        p1.setTargets("mes-app", List.of("127.0.0.1:" + mes1.port()));
        p1.setTargets("andon-exporter", List.of("127.0.0.1:" + exporter.port()));
        p2.setTargets("mes-app", List.of("127.0.0.1:" + mes2.port()));
        return new TwoPlants(vm, p1, p2);
    }
}
