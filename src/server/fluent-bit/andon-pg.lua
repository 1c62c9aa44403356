-- Fluent Bit Lua filter for the PostgreSQL server log (jsonlog): the same mes-database documents as the
-- rsyslog shipper (src/server/rsyslog/andon-shipper.conf, the "mes-database" branch). Not run by the tests
-- (Fluent Bit is not packaged for Debian 12); keep it in step with the rsyslog config by hand.
local function move(r, from, to_obj, to_key)
  if r[from] ~= nil then
    if to_key == nil then
      r[to_obj] = r[from]
    else
      r[to_obj] = r[to_obj] or {}
      r[to_obj][to_key] = r[from]
    end
    r[from] = nil
  end
end

local LEVELS = { LOG = "INFO", INFO = "INFO", NOTICE = "INFO", WARNING = "WARN" }

function andon_pg(tag, ts, r)
  r["service"] = "mes-database"
  if r["error_severity"] == nil and r["log"] ~= nil then
    -- not JSON (a library writing to stderr, a truncated write): kept, flagged
    r["message"] = r["log"]
    r["log"] = nil
    r["level"] = "UNPARSED"
    return 1, ts, r
  end
  local sev = r["error_severity"]
  r["error_severity"] = nil
  if sev ~= nil then
    r["log"] = { level = sev }
    if LEVELS[sev] then r["level"] = LEVELS[sev]
    elseif string.sub(sev, 1, 5) == "DEBUG" then r["level"] = "DEBUG"
    else r["level"] = "ERROR" end
  end
  move(r, "user", "user", "name")
  move(r, "dbname", "db", "name")
  move(r, "pid", "process")
  if r["remote_host"] ~= nil then
    if string.match(r["remote_host"], "^[%x:.]+$") then move(r, "remote_host", "client", "ip")
    else move(r, "remote_host", "client", "address") end
  end
  move(r, "remote_port", "client", "port")
  move(r, "state_code", "sqlstate")
  local st = r["sqlstate"]
  if st ~= nil and string.sub(st, 1, 2) == "22" and r["message"] ~= nil then
    r["message"] = (string.match(r["message"], '^([^:"]*)') or "") .. " [value withheld by the shipper]"
  end
  if st ~= nil and (string.sub(st, 1, 2) == "22" or string.sub(st, 1, 2) == "23") and r["detail"] ~= nil then
    r["detail"] = "[withheld by the shipper: may contain row values]"
  end
  local msg = r["message"] or ""
  local ms, rest = string.match(msg, "^duration: ([%d.]+) ms  (.*)$")
  if ms ~= nil then
    r["duration_ms"] = tonumber(ms)
    if r["statement"] == nil then
      local text = string.match(rest, "^statement: (.*)$") or string.match(rest, "^execute [^:]*: (.*)$")
        or string.match(rest, "^parse [^:]*: (.*)$") or string.match(rest, "^bind [^:]*: (.*)$")
      if text ~= nil then r["statement"] = text end
    end
  end
  local wait = string.match(msg, "^process %d+ still waiting .* after ([%d.]+) ms$")
    or string.match(msg, "^process %d+ acquired .* after ([%d.]+) ms$")
  if wait ~= nil then r["lock_wait_ms"] = tonumber(wait) end
  return 1, ts, r
end
