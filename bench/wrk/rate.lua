-- wrk script for the open-loop run of bench/run.sh: pre-signed deliveries (see deliveries.lua for the file
-- format) sent at a fixed rate, whatever the answers do. wrk itself is a closed-loop tool, so the schedule is
-- kept here: delay() gives each request the next slot of the timetable (start + k / rate), and the latency is
-- measured from that slot, not from when wrk could send it, so a stalled server cannot hide its queueing
-- (no coordinated omission). Use enough connections (-c) that one is always free at the slot.
-- The first LEAD seconds open connections and warm code paths: acknowledged, not in the figures.
-- Usage: WRK_OUT=result.json wrk -t 1 -c 256 -d <LEAD+SECONDS+2>s --timeout 30s -s rate.lua URL \
--          -- BODIES ACKED RATE SECONDS LEAD
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } wag_timespec;
  int clock_gettime(int clk_id, wag_timespec *tp);
]]
local ts = ffi.new("wag_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1e6 + tonumber(ts.tv_nsec) / 1e3
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  rate, seconds, lead = tonumber(args[3]), tonumber(args[4]), tonumber(args[5])
  items, next_item, slot = {}, 1, 0
  for line in io.lines(args[1]) do
    local wamid, sig, body = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
    items[#items + 1] = {wamid, wrk.format("POST", nil, {
      ["Content-Type"] = "application/json",
      ["X-Hub-Signature-256"] = sig,
      ["X-Request-Id"] = wamid,
    }, body)}
  end
  acked = io.open(args[2] .. ".0", "w")
  acked:setvbuf("full")
  due, due_head, due_tail = {}, 1, 0   -- slots handed out by delay(), taken by request() in order
  intended = {}                        -- wamid -> slot time (µs), until its answer
  lat, over25, maxms, codes = {}, {}, {}, {}
  late, exhausted = 0, false
end

function delay()
  local t = now_us()
  t0 = t0 or t + 20000
  local at = t0 + slot * 1e6 / rate
  if at > t0 + (lead + seconds) * 1e6 then
    return 3600000 -- the timetable is over: no more requests (wrk's -d ends the run)
  end
  slot = slot + 1
  due_tail = due_tail + 1
  due[due_tail] = at
  local wait = at - t
  if wait <= 0 then
    late = late + 1
    return 0
  end
  return math.ceil(wait / 1000)
end

function request()
  local at = due[due_head]
  due[due_head] = nil
  due_head = due_head + 1
  local it = items[next_item]
  if it == nil then
    exhausted = true
    return wrk.format("GET", "/webhooks/whatsapp")  -- the handshake without parameters: 403 at once
  end
  items[next_item] = false
  next_item = next_item + 1
  intended[it[1]] = at
  return it[2]
end

function response(status, headers, body)
  local id = headers["X-Request-Id"] or headers["x-request-id"]
  local at = id and intended[id]
  if not at then
    return
  end
  intended[id] = nil
  if status == 200 then
    acked:write(id, "\n")
  end
  if at < t0 + lead * 1e6 then
    return -- lead-in
  end
  local t = now_us()
  local ms = (t - at) / 1000
  if ms < 0 then ms = 0 end
  lat[#lat + 1] = ms
  codes[status] = (codes[status] or 0) + 1
  local sec = math.floor((t - t0) / 1e6 - lead) + 1
  if sec < 1 then sec = 1 end
  for s = #maxms + 1, sec do maxms[s] = 0; over25[s] = 0 end
  if ms > maxms[sec] then maxms[sec] = ms end
  if ms > 25 then over25[sec] = over25[sec] + 1 end
end

function done(summary, latency, requests)
  local all, codes_all, over, maxs, late_all, short = {}, {}, {}, {}, 0, false
  for _, t in ipairs(threads) do
    for _, v in ipairs(t:get("lat") or {}) do all[#all + 1] = v end
    for code, n in pairs(t:get("codes") or {}) do codes_all[code] = (codes_all[code] or 0) + n end
    for s, n in ipairs(t:get("over25") or {}) do over[s] = (over[s] or 0) + n end
    for s, m in ipairs(t:get("maxms") or {}) do maxs[s] = math.max(maxs[s] or 0, m) end
    late_all = late_all + (t:get("late") or 0)
    short = short or t:get("exhausted") == true
  end
  table.sort(all)
  local n, sum = #all, 0
  for _, v in ipairs(all) do sum = sum + v end
  local function pct(p)
    if n == 0 then return 0 end
    return all[math.max(1, math.ceil(n * p / 100))]
  end
  local parts, ok, total = {}, codes_all[200] or 0, 0
  for code, c in pairs(codes_all) do
    parts[#parts + 1] = string.format('"%d":%d', code, c)
    total = total + c
  end
  local o, m = {}, {}
  for s = 1, #over do o[s] = tostring(over[s]); m[s] = string.format("%d", maxs[s]) end
  local secs = threads[1]:get("seconds")
  local e = summary.errors
  local out = io.open(os.getenv("WRK_OUT"), "w")
  out:write(string.format('{"tool":"wrk","mode":"rate","target_rate":%s,"lead_in_s":%s,"requests":%d,"ok":%d,'
      .. '"errors":%d,"seconds":%s,"throughput":%.1f,"codes":{%s},"sent_late":%d,"ran_out_of_deliveries":%s,'
      .. '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},'
      .. '"latency_ms":{"p50":%.3f,"p90":%.3f,"p99":%.3f,"p999":%.3f,"max":%.3f,"mean":%.3f},'
      .. '"max_ms_per_s":[%s],"over_25ms_per_s":[%s]}\n',
      threads[1]:get("rate"), threads[1]:get("lead"), total, ok, total - ok + e.connect + e.read + e.write + e.timeout,
      secs, ok / secs, table.concat(parts, ","), late_all, tostring(short), e.connect, e.read, e.write, e.timeout,
      pct(50), pct(90), pct(99), pct(99.9), all[n] or 0, n > 0 and sum / n or 0, table.concat(m, ","),
      table.concat(o, ",")))
  out:close()
end
