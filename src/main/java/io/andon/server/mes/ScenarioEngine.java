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
    private volatile java.util.List<Thread> background = java.util.List.of();
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

    /**
     * latency-spike: extra latency of one request, spent in its {@code data_processing build_response} span so
     * the trace shows that one step as slow (docs/simulator.md).
     */
    long extraDelayMillis() {
        var r = ThreadLocalRandom.current();
        return current.get() == Scenario.LATENCY_SPIKE && r.nextDouble() < 0.15 ? 600 + r.nextInt(400) : 0;
    }

    /** slow-queries: extra latency of one request's first SQL statement, spent inside its {@code database_query} span. */
    long extraSqlDelayMillis() {
        return current.get() == Scenario.SLOW_QUERIES && ThreadLocalRandom.current().nextDouble() < 0.05 ? 250 : 0;
    }

    boolean injectError() {
        return current.get() == Scenario.ERROR_BURST && ThreadLocalRandom.current().nextDouble() < 0.05;
    }

    /** Backup tables of the data scenarios: what {@link #leave} restores from. */
    private static final java.util.Map<Scenario, String> BACKUPS = new java.util.EnumMap<>(java.util.Map.of(
            Scenario.EQUIPMENT_FAILURE, "sim_failed_equipment", Scenario.INVENTORY_LOW, "sim_inventory_backup",
            Scenario.ATTENDANCE_LOW, "sim_absent", Scenario.NIGHT, "sim_night"));

    /**
     * A service killed inside a data scenario left its backup table behind: put the plant's data back before
     * anything else, so the next scenario starts from the real figures.
     */
    void recoverLeftovers() {
        for (var e : BACKUPS.entrySet()) {
            try (Connection c = db.adminConnection();
                 java.sql.PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, "mes_core." + e.getValue());
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) continue;
                }
                leave(e.getKey());
                log.warn("restored the plant's data left changed by an earlier run in scenario {}", e.getKey().id);
            } catch (SQLException ex) {
                log.error("could not check or restore data of scenario {}: {}", e.getKey().id, ex.getMessage());
            }
        }
    }

    private void enter(Scenario s) throws SQLException {
        switch (s) {
            case DB_OUTAGE -> db.setOutage(true);
            // the first 8 running machines fail; the load generator's status writes start at id 101
            case EQUIPMENT_FAILURE -> exec("""
                    CREATE TABLE IF NOT EXISTS mes_core.sim_failed_equipment (equipment_id integer PRIMARY KEY, status text NOT NULL);
                    INSERT INTO mes_core.sim_failed_equipment
                      SELECT equipment_id, status FROM mes_core.equipment WHERE status = 'ACTIVE' ORDER BY equipment_id LIMIT 8
                      ON CONFLICT DO NOTHING;
                    UPDATE mes_core.equipment e SET status = 'DOWN', updated_at = now()
                      FROM mes_core.sim_failed_equipment f WHERE f.equipment_id = e.equipment_id""");
            // value = sum(qty * unit_cost) < 1000 and it stays there under write load: at most 1 unit per row at
            // 0.001 each (20 000 rows -> 20), each +1 movement adds 0.001. qty_low remembers what was set so the
            // movements made during the scenario survive the restore.
            case INVENTORY_LOW -> exec("""
                    CREATE TABLE IF NOT EXISTS mes_core.sim_inventory_backup (inventory_id bigint PRIMARY KEY,
                      qty_on_hand numeric NOT NULL, unit_cost numeric NOT NULL, qty_low numeric NOT NULL);
                    INSERT INTO mes_core.sim_inventory_backup
                      SELECT inventory_id, qty_on_hand, unit_cost, least(qty_on_hand, 1) FROM mes_core.inventory
                      ON CONFLICT DO NOTHING;
                    UPDATE mes_core.inventory i SET qty_on_hand = b.qty_low, unit_cost = 0.001, updated_at = now()
                      FROM mes_core.sim_inventory_backup b WHERE b.inventory_id = i.inventory_id""");
            case ATTENDANCE_LOW -> exec("""
                    CREATE TABLE IF NOT EXISTS mes_core.sim_absent (employee_id integer, work_date date, check_in timestamptz,
                      PRIMARY KEY (employee_id, work_date));
                    INSERT INTO mes_core.sim_absent SELECT employee_id, work_date, check_in FROM mes_core.attendance
                      WHERE work_date = current_date AND check_in IS NOT NULL AND (employee_id % 3 = 0 OR employee_id % 7 = 1)
                      ON CONFLICT DO NOTHING;
                    UPDATE mes_core.attendance a SET check_in = NULL FROM mes_core.sim_absent s
                      WHERE s.employee_id = a.employee_id AND s.work_date = a.work_date""");
            // everyone on shift checks out; leaving the night checks exactly these people in again
            case NIGHT -> exec("""
                    CREATE TABLE IF NOT EXISTS mes_core.sim_night (employee_id integer, work_date date, PRIMARY KEY (employee_id, work_date));
                    INSERT INTO mes_core.sim_night SELECT employee_id, work_date FROM mes_core.attendance
                      WHERE work_date = current_date AND check_in IS NOT NULL AND check_out IS NULL
                      ON CONFLICT DO NOTHING;
                    UPDATE mes_core.attendance a SET check_out = now() FROM mes_core.sim_night n
                      WHERE n.employee_id = a.employee_id AND n.work_date = a.work_date""");
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
                      FROM mes_core.sim_failed_equipment f WHERE f.equipment_id = e.equipment_id AND e.status = 'DOWN';
                    DROP TABLE mes_core.sim_failed_equipment""");
            case INVENTORY_LOW -> exec("""
                    UPDATE mes_core.inventory i SET qty_on_hand = greatest(0, b.qty_on_hand + (i.qty_on_hand - b.qty_low)),
                           unit_cost = b.unit_cost, updated_at = now()
                      FROM mes_core.sim_inventory_backup b WHERE b.inventory_id = i.inventory_id;
                    DROP TABLE mes_core.sim_inventory_backup""");
            case ATTENDANCE_LOW -> exec("""
                    UPDATE mes_core.attendance a SET check_in = s.check_in FROM mes_core.sim_absent s
                      WHERE s.employee_id = a.employee_id AND s.work_date = a.work_date AND a.check_in IS NULL;
                    DROP TABLE mes_core.sim_absent""");
            case NIGHT -> exec("""
                    UPDATE mes_core.attendance a SET check_out = NULL FROM mes_core.sim_night n
                      WHERE n.employee_id = a.employee_id AND n.work_date = a.work_date;
                    DROP TABLE mes_core.sim_night""");
            case LOCK_CONTENTION -> stopBackground();
            case SLOW_QUERIES -> {
                stopBackground();
                forgetSlowStatement();
            }
            default -> { }
        }
    }

    /** One transaction, so a failure half-way leaves the plant's data and the backup as they were. */
    private void exec(String sql) throws SQLException {
        try (Connection c = db.adminConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try {
                st.execute(sql);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void startBackground(String name, Runnable r) {
        running = true; // set before the threads start: their loops read it at once
        background = java.util.List.of(Thread.ofVirtual().name("scenario-" + name).start(r));
    }

    private volatile boolean running;

    private void stopBackground() {
        var threads = background;
        background = java.util.List.of();
        running = false;
        for (Thread t : threads) t.interrupt();
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Row locks, not a table lock: one session holds a sentinel machine row for the whole scenario and a second
     * session keeps waiting on it (db_lock_waits > 0 at every scrape); a third holds 30 machines the load
     * generator writes to for 1.5 s at a time, so those requests wait and then go through, as on a plant
     * with a long-running transaction. Reads are never blocked.
     */
    private void holdLocks() {
        Thread cycler = Thread.ofVirtual().name("scenario-lock-cycler").start(this::cycleRowLocks);
        Thread.ofVirtual().name("scenario-deadlock").start(this::oneDeadlock);
        try (Connection holder = db.adminConnection(); Connection waiter = db.adminConnection()) {
            holder.setAutoCommit(false);
            long sentinel;
            try (Statement s = holder.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("""
                         SELECT equipment_id FROM mes_core.equipment WHERE equipment_id < 101
                          ORDER BY equipment_id LIMIT 1 FOR UPDATE""")) {
                if (!rs.next()) {
                    log.error("lock-contention scenario: no equipment rows to lock");
                    return;
                }
                sentinel = rs.getLong(1);
            }
            try (java.sql.PreparedStatement w = waiter.prepareStatement(
                    "SELECT equipment_id FROM mes_core.equipment WHERE equipment_id = ? FOR UPDATE")) {
                try (Statement set = waiter.createStatement()) {
                    set.execute("SET lock_timeout = '5s'");
                }
                w.setLong(1, sentinel);
                while (!Thread.currentThread().isInterrupted() && running) {
                    try {
                        w.executeQuery().close();
                    } catch (SQLException timeout) {
                        // lock_timeout (55P03): wait again
                        if (!"55P03".equals(timeout.getSQLState())) throw timeout;
                    }
                }
            } finally {
                holder.rollback();
            }
        } catch (SQLException e) {
            if (running) log.error("lock-contention scenario stopped: {}", e.getMessage());
        } finally {
            cycler.interrupt();
            try {
                cycler.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One deadlock per lock-contention run, as plants see them next to lock waits: two sessions lock machines
     * 131 and 132 in opposite order; PostgreSQL aborts one (40P01, in its server log with both statements) after
     * deadlock_timeout, that one rolls back at once and the other goes through.
     */
    private void oneDeadlock() {
        try (Connection a = db.adminConnection(); Connection b = db.adminConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            lockMachine(a, 131);
            lockMachine(b, 132);
            Thread first = Thread.ofVirtual().name("scenario-deadlock-a").start(() -> lockOrRollback(a, 132));
            Thread.sleep(200);
            lockOrRollback(b, 131);
            first.join(15_000);
            a.rollback();
            b.rollback();
        } catch (SQLException e) {
            if (running) log.error("lock-contention deadlock stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void lockMachine(Connection c, int id) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT equipment_id FROM mes_core.equipment WHERE equipment_id = ? FOR UPDATE")) {
            ps.setInt(1, id);
            ps.executeQuery().close();
        }
    }

    private static void lockOrRollback(Connection c, int id) {
        try {
            lockMachine(c, id);
        } catch (SQLException e) {
            try {
                c.rollback(); // the deadlock victim (40P01): its locks go, the other session proceeds
            } catch (SQLException ignored) {
                // closed by the caller either way
            }
        }
    }

    private void cycleRowLocks() {
        try (Connection c = db.adminConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET lock_timeout = '5s'");
            while (!Thread.currentThread().isInterrupted() && running) {
                try {
                    s.executeQuery("SELECT equipment_id FROM mes_core.equipment WHERE equipment_id BETWEEN 101 AND 130 FOR UPDATE").close();
                    Thread.sleep(1500);
                } catch (SQLException busy) {
                    if (!"55P03".equals(busy.getSQLState())) throw busy;
                } finally {
                    c.commit();
                }
            }
        } catch (SQLException e) {
            if (running) log.error("lock-contention row-lock cycle stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A statement whose mean time stays above 500 ms: pg_stat_statements reports it as slow. */
    private void runSlowStatements() {
        try (Connection c = db.adminConnection(); Statement s = c.createStatement()) {
            while (!Thread.currentThread().isInterrupted() && running) {
                s.execute("SELECT pg_sleep(0.7) AS andon_sim_slow, count(*) FROM mes_core.work_orders WHERE status = 'RUNNING'");
                Thread.sleep(1000);
            }
        } catch (SQLException e) {
            if (running) log.error("slow-queries scenario stopped: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The slow statement's mean would keep db_slow_statements above 0 long after the scenario: drop its entry.
     * Needs the right to call pg_stat_statements_reset (superuser or granted); without it the figure decays
     * only when a site resets the statistics, which is said in the log.
     */
    private void forgetSlowStatement() {
        try (Connection c = db.adminConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    SELECT pg_stat_statements_reset(userid, dbid, queryid) FROM pg_stat_statements
                     WHERE query LIKE '%andon_sim_slow%' AND query NOT LIKE '%pg_stat_statements_reset%'""");
        } catch (SQLException e) {
            log.warn("slow-queries: could not drop the simulated statement from pg_stat_statements ({}); "
                    + "db_slow_statements stays above 0 until the statistics are reset", e.getMessage());
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
