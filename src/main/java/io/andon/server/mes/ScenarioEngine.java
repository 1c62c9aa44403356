package io.andon.server.mes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Switches the simulated plant between scenarios. Request-level faults (latency, 5xx, outage) are applied by
 * the request path; data faults change the plant's tables and are undone when the scenario ends; database
 * faults run background sessions (lock holder + waiter, slow statements) until the scenario ends.
 */
final class ScenarioEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("io.andon.mes.scenario");
    private final Db db;
    private final MesMetrics metrics;
    private final AtomicReference<Scenario> current = new AtomicReference<>(Scenario.NORMAL);
    private volatile Thread background;
    private volatile java.util.function.Consumer<Scenario> listener = s -> {};

    /** Told after every switch (the built-in load generator idles at night). */
    void onChange(java.util.function.Consumer<Scenario> l) { listener = l; }

    ScenarioEngine(Db db, MesMetrics metrics) {
        this.db = db;
        this.metrics = metrics;
        for (Scenario s : Scenario.values()) metrics.scenario.labelValues(s.id).set(s == Scenario.NORMAL ? 1 : 0);
    }

    Scenario current() { return current.get(); }

    synchronized void switchTo(Scenario next) throws SQLException {
        Scenario prev = current.get();
        if (prev == next) return;
        leave(prev);
        enter(next);
        current.set(next);
        for (Scenario s : Scenario.values()) metrics.scenario.labelValues(s.id).set(s == next ? 1 : 0);
        log.warn("scenario changed from {} to {} (expected alerts: {})", prev.id, next.id, next.alerts);
        listener.accept(next);
    }

    /** Extra latency and injected failures for one request. */
    long extraDelayMillis() {
        var r = ThreadLocalRandom.current();
        return switch (current.get()) {
            case LATENCY_SPIKE -> r.nextDouble() < 0.15 ? 600 + r.nextInt(400) : 0;
            case SLOW_QUERIES -> r.nextDouble() < 0.05 ? 250 : 0;
            default -> 0;
        };
    }

    boolean injectError() {
        return current.get() == Scenario.ERROR_BURST && ThreadLocalRandom.current().nextDouble() < 0.05;
    }

    private void enter(Scenario s) throws SQLException {
        switch (s) {
            case DB_OUTAGE -> db.setOutage(true);
            case EQUIPMENT_FAILURE -> exec("""
                    CREATE TABLE IF NOT EXISTS mes_core.sim_failed_equipment AS SELECT equipment_id, status FROM mes_core.equipment WHERE false;
                    INSERT INTO mes_core.sim_failed_equipment
                      SELECT equipment_id, status FROM mes_core.equipment WHERE status = 'ACTIVE' ORDER BY equipment_id LIMIT 8;
                    UPDATE mes_core.equipment e SET status = 'DOWN', updated_at = now()
                      FROM mes_core.sim_failed_equipment f WHERE f.equipment_id = e.equipment_id""");
            case INVENTORY_LOW -> exec("""
                    CREATE TABLE IF NOT EXISTS mes_core.sim_inventory_backup AS SELECT inventory_id, qty_on_hand FROM mes_core.inventory WHERE false;
                    INSERT INTO mes_core.sim_inventory_backup SELECT inventory_id, qty_on_hand FROM mes_core.inventory;
                    UPDATE mes_core.inventory SET qty_on_hand = 0""");
            case ATTENDANCE_LOW -> exec("""
                    CREATE TABLE IF NOT EXISTS mes_core.sim_absent AS SELECT employee_id, check_in FROM mes_core.attendance WHERE false;
                    INSERT INTO mes_core.sim_absent SELECT employee_id, check_in FROM mes_core.attendance
                      WHERE work_date = current_date AND check_in IS NOT NULL AND employee_id % 3 = 0;
                    INSERT INTO mes_core.sim_absent SELECT employee_id, check_in FROM mes_core.attendance
                      WHERE work_date = current_date AND check_in IS NOT NULL AND employee_id % 7 = 1 AND employee_id % 3 <> 0;
                    UPDATE mes_core.attendance a SET check_in = NULL FROM mes_core.sim_absent s
                      WHERE s.employee_id = a.employee_id AND a.work_date = current_date""");
            case NIGHT -> exec("""
                    UPDATE mes_core.attendance SET check_out = now() WHERE work_date = current_date AND check_out IS NULL""");
            case LOCK_CONTENTION -> startBackground("lock-contention", this::holdLocks);
            case SLOW_QUERIES -> startBackground("slow-queries", this::runSlowStatements);
            default -> { }
        }
    }

    private void leave(Scenario s) throws SQLException {
        switch (s) {
            case DB_OUTAGE -> db.setOutage(false);
            case EQUIPMENT_FAILURE -> exec("""
                    UPDATE mes_core.equipment e SET status = f.status, updated_at = now()
                      FROM mes_core.sim_failed_equipment f WHERE f.equipment_id = e.equipment_id;
                    DROP TABLE mes_core.sim_failed_equipment""");
            case INVENTORY_LOW -> exec("""
                    UPDATE mes_core.inventory i SET qty_on_hand = b.qty_on_hand
                      FROM mes_core.sim_inventory_backup b WHERE b.inventory_id = i.inventory_id;
                    DROP TABLE mes_core.sim_inventory_backup""");
            case ATTENDANCE_LOW -> exec("""
                    UPDATE mes_core.attendance a SET check_in = s.check_in FROM mes_core.sim_absent s
                      WHERE s.employee_id = a.employee_id AND a.work_date = current_date;
                    DROP TABLE mes_core.sim_absent""");
            case NIGHT -> exec("UPDATE mes_core.attendance SET check_out = NULL WHERE work_date = current_date");
            case LOCK_CONTENTION, SLOW_QUERIES -> stopBackground();
            default -> { }
        }
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = db.adminConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private void startBackground(String name, Runnable r) {
        running = true; // set before the thread starts: the task's loop reads it at once
        background = Thread.ofVirtual().name("scenario-" + name).start(r);
    }

    private volatile boolean running;

    private void stopBackground() {
        Thread t = background;
        background = null;
        running = false;
        if (t != null) {
            t.interrupt();
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One session holds an exclusive lock, another keeps waiting for it: pg_stat_activity shows lock waits. */
    private void holdLocks() {
        try (Connection holder = db.adminConnection(); Connection waiter = db.adminConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("LOCK TABLE mes_core.equipment_status_log IN ACCESS EXCLUSIVE MODE");
            }
            try (Statement w = waiter.createStatement()) {
                w.execute("SET lock_timeout = '5s'");
                while (!Thread.currentThread().isInterrupted() && running) {
                    try {
                        w.execute("SELECT count(*) FROM mes_core.equipment_status_log");
                    } catch (SQLException timeout) {
                        // lock_timeout: wait again
                    }
                }
            } finally {
                holder.rollback();
            }
        } catch (SQLException e) {
            log.error("lock-contention scenario stopped: {}", e.getMessage());
        }
    }

    /** A statement whose mean time stays above 500 ms: pg_stat_statements reports it as slow. */
    private void runSlowStatements() {
        try (Connection c = db.adminConnection(); Statement s = c.createStatement()) {
            while (!Thread.currentThread().isInterrupted() && running) {
                s.execute("SELECT pg_sleep(0.7), count(*) FROM mes_core.work_orders WHERE status = 'RUNNING'");
                Thread.sleep(1000);
            }
        } catch (SQLException e) {
            log.error("slow-queries scenario stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            switchTo(Scenario.NORMAL);
        } catch (SQLException e) {
            log.error("could not restore the plant's data: {}", e.getMessage());
        }
    }
}
