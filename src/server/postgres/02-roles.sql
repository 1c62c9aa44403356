-- Roles. No password here: a site sets it (ALTER ROLE ... PASSWORD, or \password) from its secret store;
-- the test harness sets a random one per run. The plant spec hard-coded passwords in its configs.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'andon_monitor') THEN
        CREATE ROLE andon_monitor LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mes_app') THEN
        CREATE ROLE mes_app NOLOGIN;
    END IF;
END
$$;

-- Read-only monitor: statistics views (pg_monitor) and SELECT on the MES schema, nothing else.
GRANT pg_monitor TO andon_monitor;
GRANT USAGE ON SCHEMA mes_core TO andon_monitor;
GRANT SELECT ON ALL TABLES IN SCHEMA mes_core TO andon_monitor;
ALTER DEFAULT PRIVILEGES IN SCHEMA mes_core GRANT SELECT ON TABLES TO andon_monitor;
ALTER ROLE andon_monitor SET default_transaction_read_only = on;
ALTER ROLE andon_monitor SET statement_timeout = '5s';

-- The application's group role: read/write on the MES schema.
GRANT USAGE ON SCHEMA mes_core TO mes_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA mes_core TO mes_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA mes_core TO mes_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA mes_core GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO mes_app;
