-- The plant's two monitoring views, corrected:
--  * pg_stat_statements.mean_time was renamed mean_exec_time in PostgreSQL 13;
--  * ORDER BY is not allowed inside the arms of a UNION (the spec's view failed to create) — callers sort;
--  * inventory value is qty_on_hand * unit_cost, not the sum of quantities.
CREATE OR REPLACE VIEW mes_core.business_metrics AS
SELECT 'total_plants'::text AS metric_name, count(*)::numeric AS metric_value, now() AS ts FROM mes_core.plants
UNION ALL
SELECT 'total_work_centers', count(*), now() FROM mes_core.work_centers
UNION ALL
SELECT 'total_equipment', count(*), now() FROM mes_core.equipment
UNION ALL
SELECT 'active_equipment', count(*), now() FROM mes_core.equipment WHERE status = 'ACTIVE'
UNION ALL
SELECT 'down_equipment', count(*), now() FROM mes_core.equipment WHERE status = 'DOWN'
UNION ALL
SELECT 'total_inventory_items', count(*), now() FROM mes_core.inventory
UNION ALL
SELECT 'inventory_qty_on_hand', coalesce(sum(qty_on_hand), 0), now() FROM mes_core.inventory
UNION ALL
SELECT 'inventory_value', coalesce(sum(qty_on_hand * unit_cost), 0), now() FROM mes_core.inventory
UNION ALL
SELECT 'total_employees', count(*), now() FROM mes_core.employees
UNION ALL
SELECT 'active_employees', count(*), now() FROM mes_core.employees WHERE status = 'ACTIVE';

-- Database performance: connection counts, cache hit ratio, lock waits, table sizes; the slow-statement
-- part needs pg_stat_statements, so it is created only where the extension exists (the view must not
-- fail to install on a server without it).
CREATE OR REPLACE VIEW mes_core.database_performance_metrics AS
SELECT 'connections_' || coalesce(state, 'other') AS metric_name, count(*)::numeric AS metric_value, NULL::text AS detail
  FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY state
UNION ALL
SELECT 'cache_hit_ratio', round(sum(blks_hit)::numeric / nullif(sum(blks_hit) + sum(blks_read), 0), 4), NULL
  FROM pg_stat_database WHERE datname = current_database()
UNION ALL
SELECT 'lock_waits', count(*), NULL FROM pg_stat_activity WHERE wait_event_type = 'Lock'
UNION ALL
SELECT 'table_size_bytes', pg_total_relation_size(c.oid), c.relname
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'mes_core' AND c.relkind = 'r';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') THEN
        EXECUTE $v$
            CREATE OR REPLACE VIEW mes_core.slow_statements AS
            SELECT queryid, calls, mean_exec_time, total_exec_time, left(query, 200) AS query
              FROM pg_stat_statements
             WHERE mean_exec_time > 500
        $v$;
    END IF;
END
$$;
GRANT SELECT ON ALL TABLES IN SCHEMA mes_core TO andon_monitor;
