# The plant's original collector, from /work/shared/spec/mes-slo-observability.zh.md: the two Python blocks
# "应用指标" (application metrics) and "业务指标监控" (business metrics), concatenated verbatim, for the P1
# peer benchmark (src/test/java/io/andon/bench/PeersBench.java). Changes, and only these, to make it run:
#  1. psycopg2.connect(...) reads host, port, database, user and password from the libpq environment
#     (PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD) instead of the hard-coded 'app_password' (and
#     'localhost'/'mes_core'/'mes_app' stay the defaults); the port argument is new (the spec used 5432).
#  2. start_http_server(PORT) -> start_http_server(PORT), PORT from argv[1] (default 8000), and its message.
#  3. `import os, sys` and PORT below; a __main__ block at the end starting what the spec defines
#     (start_monitoring() then start_business_metrics_collection()); the spec shows no entry point.
#     monitor_db_connections() is defined by the spec but never scheduled there, so it is not called here.
# Not a code change: the spec's queries name tables without a schema (FROM plants); our tables live in
# mes_core, so the benchmark sets PGOPTIONS='-c search_path=mes_core' in the environment (libpq applies it).
# The spec's database is 'mes_core' and role 'mes_app'; the benchmark passes database 'mes' and the same
# read-only role the Andon exporter uses (andon_monitor), so both read the same data with the same rights.
import os, sys
PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8000

# 应用性能监控
from prometheus_client import Counter, Histogram, Gauge, start_http_server
import time
import psycopg2
from functools import wraps

# 定义指标
REQUEST_COUNT = Counter('http_requests_total', 'Total HTTP requests', ['method', 'endpoint', 'status'])
REQUEST_DURATION = Histogram('http_request_duration_seconds', 'HTTP request duration')
DB_CONNECTIONS = Gauge('db_connections_active', 'Active database connections')
DB_QUERY_DURATION = Histogram('db_query_duration_seconds', 'Database query duration', ['query_type'])

# 请求监控装饰器
def monitor_request(func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        start_time = time.time()
        try:
            result = func(*args, **kwargs)
            REQUEST_COUNT.labels(method='GET', endpoint=func.__name__, status='200').inc()
            return result
        except Exception as e:
            REQUEST_COUNT.labels(method='GET', endpoint=func.__name__, status='500').inc()
            raise
        finally:
            REQUEST_DURATION.observe(time.time() - start_time)
    return wrapper

# 数据库查询监控装饰器
def monitor_db_query(query_type):
    def decorator(func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            start_time = time.time()
            try:
                result = func(*args, **kwargs)
                return result
            finally:
                DB_QUERY_DURATION.labels(query_type=query_type).observe(time.time() - start_time)
        return wrapper
    return decorator

# 数据库连接监控
def monitor_db_connections():
    try:
        conn = psycopg2.connect(
            host=os.environ.get('PGHOST', 'localhost'), port=os.environ.get('PGPORT', '5432'),
            database=os.environ.get('PGDATABASE', 'mes_core'),
            user=os.environ.get('PGUSER', 'mes_app'),
            password=os.environ['PGPASSWORD']
        )
        cursor = conn.cursor()
        cursor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active'")
        active_connections = cursor.fetchone()[0]
        DB_CONNECTIONS.set(active_connections)
        cursor.close()
        conn.close()
    except Exception as e:
        print(f"Database connection monitoring error: {e}")

# 启动监控服务器
def start_monitoring():
    start_http_server(PORT)
    print(f"Monitoring server started on port {PORT}")

# 业务指标监控
import psycopg2
from prometheus_client import Gauge
import time

# 定义业务指标
TOTAL_PLANTS = Gauge('mes_plants_total', 'Total number of plants')
TOTAL_WORK_CENTERS = Gauge('mes_work_centers_total', 'Total number of work centers')
TOTAL_EQUIPMENT = Gauge('mes_equipment_total', 'Total number of equipment')
ACTIVE_EQUIPMENT = Gauge('mes_equipment_active', 'Number of active equipment')
TOTAL_INVENTORY_ITEMS = Gauge('mes_inventory_items_total', 'Total number of inventory items')
INVENTORY_VALUE = Gauge('mes_inventory_value_total', 'Total inventory value')
TOTAL_EMPLOYEES = Gauge('mes_employees_total', 'Total number of employees')
ACTIVE_EMPLOYEES = Gauge('mes_employees_active', 'Number of active employees')

def collect_business_metrics():
    """收集业务指标"""
    try:
        conn = psycopg2.connect(
            host=os.environ.get('PGHOST', 'localhost'), port=os.environ.get('PGPORT', '5432'),
            database=os.environ.get('PGDATABASE', 'mes_core'),
            user=os.environ.get('PGUSER', 'mes_app'),
            password=os.environ['PGPASSWORD']
        )
        cursor = conn.cursor()
        
        # 工厂数量
        cursor.execute("SELECT COUNT(*) FROM plants")
        TOTAL_PLANTS.set(cursor.fetchone()[0])
        
        # 工作中心数量
        cursor.execute("SELECT COUNT(*) FROM work_centers")
        TOTAL_WORK_CENTERS.set(cursor.fetchone()[0])
        
        # 设备数量
        cursor.execute("SELECT COUNT(*) FROM equipment")
        TOTAL_EQUIPMENT.set(cursor.fetchone()[0])
        
        # 活跃设备数量
        cursor.execute("SELECT COUNT(*) FROM equipment WHERE status = 'ACTIVE'")
        ACTIVE_EQUIPMENT.set(cursor.fetchone()[0])
        
        # 库存项目数量
        cursor.execute("SELECT COUNT(*) FROM inventory")
        TOTAL_INVENTORY_ITEMS.set(cursor.fetchone()[0])
        
        # 库存价值
        cursor.execute("SELECT SUM(qty_on_hand) FROM inventory")
        result = cursor.fetchone()[0]
        INVENTORY_VALUE.set(result if result else 0)
        
        # 员工数量
        cursor.execute("SELECT COUNT(*) FROM employees")
        TOTAL_EMPLOYEES.set(cursor.fetchone()[0])
        
        # 活跃员工数量
        cursor.execute("SELECT COUNT(*) FROM employees WHERE status = 'ACTIVE'")
        ACTIVE_EMPLOYEES.set(cursor.fetchone()[0])
        
        cursor.close()
        conn.close()
        
    except Exception as e:
        print(f"Business metrics collection error: {e}")

# 定期收集业务指标
def start_business_metrics_collection():
    while True:
        collect_business_metrics()
        time.sleep(60)  # 每分钟收集一次


if __name__ == '__main__':
    start_monitoring()
    start_business_metrics_collection()
