package io.andon.server.mes;

import java.util.Locale;

/** Fault scenarios of the simulated plant; each one makes a matching alert of the server bundle fire. */
public enum Scenario {
    NORMAL("normal", "—"),
    LATENCY_SPIKE("latency-spike", "MESLatencyHigh"),
    ERROR_BURST("error-burst", "MESErrorRateHigh, MESAvailabilityLow"),
    LOCK_CONTENTION("lock-contention", "DatabaseLockWaits"),
    SLOW_QUERIES("slow-queries", "DatabaseSlowQueries"),
    EQUIPMENT_FAILURE("equipment-failure", "EquipmentFailure"),
    INVENTORY_LOW("inventory-low", "InventoryLow"),
    ATTENDANCE_LOW("attendance-low", "EmployeeAttendanceLow"),
    NIGHT("night", "none: the throughput alert must stay quiet"),
    DB_OUTAGE("db-outage", "MESErrorRateHigh, MESAvailabilityLow");

    public final String id;
    public final String alerts;

    Scenario(String id, String alerts) {
        this.id = id;
        this.alerts = alerts;
    }

    public static Scenario of(String id) {
        String want = id.toLowerCase(Locale.ROOT).replace('_', '-');
        for (Scenario s : values()) if (s.id.equals(want)) return s;
        throw new IllegalArgumentException("unknown scenario '" + id + "'");
    }
}
