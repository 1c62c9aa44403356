-- Andon reference MES schema (mes_core). The plant's real MES owns its schema; this one is what the
-- simulated MES service, the exporter's default business queries and the tests run against.
-- Idempotent: safe to apply twice.
CREATE SCHEMA IF NOT EXISTS mes_core;

CREATE TABLE IF NOT EXISTS mes_core.plants (
    plant_id     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         text NOT NULL UNIQUE,            -- short label used in metrics, e.g. 'SH01'
    name         text NOT NULL,
    timezone     text NOT NULL DEFAULT 'Asia/Shanghai'
);

CREATE TABLE IF NOT EXISTS mes_core.work_centers (
    work_center_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plant_id       integer NOT NULL REFERENCES mes_core.plants,
    code           text NOT NULL,
    name           text NOT NULL,
    UNIQUE (plant_id, code)
);

CREATE TABLE IF NOT EXISTS mes_core.equipment (
    equipment_id   integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plant_id       integer NOT NULL REFERENCES mes_core.plants,
    work_center_id integer NOT NULL REFERENCES mes_core.work_centers,
    code           text NOT NULL UNIQUE,
    name           text NOT NULL,
    -- ACTIVE = running or ready; DOWN = failed; MAINTENANCE = planned stop; IDLE = no order.
    status         text NOT NULL DEFAULT 'ACTIVE'
                   CHECK (status IN ('ACTIVE', 'IDLE', 'DOWN', 'MAINTENANCE')),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS equipment_plant_status ON mes_core.equipment (plant_id, status);

CREATE TABLE IF NOT EXISTS mes_core.inventory (
    inventory_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plant_id       integer NOT NULL REFERENCES mes_core.plants,
    material_code  text NOT NULL,
    location       text NOT NULL,
    qty_on_hand    numeric(14,3) NOT NULL DEFAULT 0 CHECK (qty_on_hand >= 0),
    unit_cost      numeric(14,4) NOT NULL DEFAULT 0,  -- value = qty_on_hand * unit_cost (the spec summed qty)
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (plant_id, material_code, location)
);
CREATE INDEX IF NOT EXISTS inventory_material ON mes_core.inventory (material_code);

CREATE TABLE IF NOT EXISTS mes_core.employees (
    employee_id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plant_id       integer NOT NULL REFERENCES mes_core.plants,
    badge          text NOT NULL UNIQUE,
    name           text NOT NULL,
    status         text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE'))
);

-- One row per employee per scheduled work day; present = checked in.
CREATE TABLE IF NOT EXISTS mes_core.attendance (
    employee_id    integer NOT NULL REFERENCES mes_core.employees,
    work_date      date NOT NULL,
    scheduled      boolean NOT NULL DEFAULT true,
    check_in       timestamptz,
    check_out      timestamptz,
    PRIMARY KEY (employee_id, work_date)
);

CREATE TABLE IF NOT EXISTS mes_core.work_orders (
    work_order_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plant_id       integer NOT NULL REFERENCES mes_core.plants,
    work_center_id integer NOT NULL REFERENCES mes_core.work_centers,
    product_code   text NOT NULL,
    qty_planned    numeric(14,3) NOT NULL,
    qty_done       numeric(14,3) NOT NULL DEFAULT 0,
    status         text NOT NULL DEFAULT 'RELEASED'
                   CHECK (status IN ('PLANNED', 'RELEASED', 'RUNNING', 'DONE', 'CANCELLED')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS work_orders_wc_status ON mes_core.work_orders (work_center_id, status);

CREATE TABLE IF NOT EXISTS mes_core.production_reports (
    report_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    work_order_id  bigint NOT NULL REFERENCES mes_core.work_orders,
    equipment_id   integer REFERENCES mes_core.equipment,
    qty_good       numeric(14,3) NOT NULL,
    qty_scrap      numeric(14,3) NOT NULL DEFAULT 0,
    reported_by    text NOT NULL,
    reported_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS mes_core.inventory_movements (
    movement_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inventory_id   bigint NOT NULL REFERENCES mes_core.inventory,
    qty_delta      numeric(14,3) NOT NULL,
    reason         text NOT NULL,
    moved_by       text NOT NULL,
    moved_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS mes_core.equipment_status_log (
    log_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    equipment_id   integer NOT NULL REFERENCES mes_core.equipment,
    old_status     text NOT NULL,
    new_status     text NOT NULL,
    changed_by     text NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now()
);
