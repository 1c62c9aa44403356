-- Deterministic demo/benchmark data. Scales to 1 M inventory rows / 100 k equipment:
--   SELECT mes_core.generate_data(3, 8, 600, 20000, 900);        -- the demo plant
--   SELECT mes_core.generate_data(10, 50, 100000, 1000000, 5000); -- the benchmark plant
-- Not called by this file: the harness applies every file on each start.
CREATE OR REPLACE FUNCTION mes_core.generate_data(
    p_plants int, p_wc_per_plant int, p_equipment int, p_inventory int, p_employees int)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM setseed(0.42);
    TRUNCATE mes_core.equipment_status_log, mes_core.inventory_movements, mes_core.production_reports,
             mes_core.work_orders, mes_core.attendance, mes_core.employees, mes_core.inventory,
             mes_core.equipment, mes_core.work_centers, mes_core.plants RESTART IDENTITY CASCADE;

    INSERT INTO mes_core.plants (code, name)
    SELECT format('P%s', lpad(i::text, 2, '0')), format('Plant %s', i) FROM generate_series(1, p_plants) i;

    INSERT INTO mes_core.work_centers (plant_id, code, name)
    SELECT p.plant_id, format('WC%s', lpad(w::text, 3, '0')), format('Work center %s-%s', p.code, w)
      FROM mes_core.plants p, generate_series(1, p_wc_per_plant) w;

    INSERT INTO mes_core.equipment (plant_id, work_center_id, code, name, status)
    SELECT wc.plant_id, wc.work_center_id, format('EQ%s', lpad(e::text, 7, '0')), format('Machine %s', e),
           CASE WHEN random() < 0.90 THEN 'ACTIVE' WHEN random() < 0.7 THEN 'IDLE' ELSE 'MAINTENANCE' END
      FROM generate_series(1, p_equipment) e
      JOIN mes_core.work_centers wc ON wc.work_center_id = 1 + (e % (p_plants * p_wc_per_plant));

    INSERT INTO mes_core.inventory (plant_id, material_code, location, qty_on_hand, unit_cost)
    SELECT 1 + (i % p_plants), format('MAT%s', lpad((i / 10)::text, 7, '0')), format('LOC%s', i % 10),
           round((random() * 500)::numeric, 3), round((1 + random() * 99)::numeric, 4)
      FROM generate_series(1, p_inventory) i;

    INSERT INTO mes_core.employees (plant_id, badge, name, status)
    SELECT 1 + (i % p_plants), format('B%s', lpad(i::text, 6, '0')), format('Employee %s', i),
           CASE WHEN random() < 0.97 THEN 'ACTIVE' ELSE 'INACTIVE' END
      FROM generate_series(1, p_employees) i;

    -- today's shift: ~97 % of active employees checked in, a healthy plant: the demo starts green (its tile warns
    -- under 95 %; at ~93 % the demo showed a warning before any scenario ran)
    INSERT INTO mes_core.attendance (employee_id, work_date, scheduled, check_in)
    SELECT employee_id, current_date, true,
           CASE WHEN random() < 0.97 THEN date_trunc('day', now()) + interval '8 hours' END
      FROM mes_core.employees WHERE status = 'ACTIVE';

    INSERT INTO mes_core.work_orders (plant_id, work_center_id, product_code, qty_planned, qty_done, status)
    SELECT wc.plant_id, wc.work_center_id, format('PRD%s', lpad((i % 500)::text, 4, '0')), 100 + (i % 900), 0,
           CASE WHEN i % 4 = 0 THEN 'RUNNING' ELSE 'RELEASED' END
      FROM generate_series(1, greatest(p_equipment / 2, 10)) i
      JOIN mes_core.work_centers wc ON wc.work_center_id = 1 + (i % (p_plants * p_wc_per_plant));

    ANALYZE mes_core.plants, mes_core.work_centers, mes_core.equipment, mes_core.inventory,
            mes_core.employees, mes_core.attendance, mes_core.work_orders;
END
$$;
