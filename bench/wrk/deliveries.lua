-- wrk script for the closed-loop levels of bench/run.sh: for wrk's -d seconds, each connection posts the next
-- pre-signed delivery as soon as its previous one is answered (closed loop), every delivery at most once.
-- The deliveries come from the load generator's `prepare` mode (bench/loadgen): one per line,
-- "wamid TAB X-Hub-Signature-256 TAB body"; it signs them with the benchmark's app secret (the same signer
-- is checked against Meta's reference vectors by `LoadGen sign`). Thread k of n takes lines k, k+n, ...
-- The wamid travels as X-Request-Id, which the service echoes, so each 200 is matched to its wamid; those
-- are written to <acked>.<thread> (the exactly-once check reads them).
-- Answers still in flight when the time is up are not counted (the exactly-once check allows "stored but
-- not acknowledged", never "acknowledged but not stored").
-- Usage: WRK_OUT=result.json wrk -t T -c C -d 10s --timeout 30s -s deliveries.lua URL -- BODIES T ACKED PHASE
local threads, started = {}, 0

function setup(thread)
  thread:set("tid", started)
  started = started + 1
  table.insert(threads, thread)
end

function init(args)
  local file, n = args[1], tonumber(args[2])
  items, next_item, codes = {}, 1, {}
  local i = 0
  for line in io.lines(file) do
    if i % n == tid then
      local wamid, sig, body = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
      items[#items + 1] = wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        ["X-Hub-Signature-256"] = sig,
        ["X-Request-Id"] = wamid,
      }, body)
    end
    i = i + 1
  end
  acked = io.open(args[3] .. "." .. tid, "w")
  acked:setvbuf("full")
end

function request()
  local req = items[next_item]
  if req == nil then
    -- more time than deliveries (prepare more): a harmless probe, not counted (see response)
    exhausted = true
    return wrk.format("GET", "/webhooks/whatsapp")  -- the handshake without parameters: 403 at once
  end
  items[next_item] = false
  next_item = next_item + 1
  return req
end

function response(status, headers, body)
  local id = headers["X-Request-Id"] or headers["x-request-id"]
  if not id or id:sub(1, 6) ~= "wamid." then
    return -- the final health probe of a thread, not a delivery
  end
  codes[status] = (codes[status] or 0) + 1
  if status == 200 then
    acked:write(id, "\n")
  end
end

function done(summary, latency, requests)
  local total, all, short = 0, {}, false
  for _, t in ipairs(threads) do
    short = short or t:get("exhausted") == true
    for code, count in pairs(t:get("codes") or {}) do
      all[code] = (all[code] or 0) + count
    end
  end
  local parts = {}
  for code, count in pairs(all) do
    parts[#parts + 1] = string.format('"%d":%d', code, count)
    total = total + count
  end
  local ok = all[200] or 0
  local e = summary.errors
  local secs = summary.duration / 1e6
  local function ms(p) return latency:percentile(p) / 1000 end
  local out = io.open(os.getenv("WRK_OUT"), "w")
  out:write(string.format('{"tool":"wrk","requests":%d,"ok":%d,"errors":%d,"seconds":%.3f,"throughput":%.1f,'
      .. '"ran_out_of_deliveries":%s,"codes":{%s},"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},'
      .. '"latency_ms":{"p50":%.3f,"p90":%.3f,"p99":%.3f,"p999":%.3f,"max":%.3f,"mean":%.3f}}\n',
      total, ok, total - ok + e.connect + e.read + e.write + e.timeout, secs, ok / secs, tostring(short), table.concat(parts, ","),
      e.connect, e.read, e.write, e.timeout, ms(50), ms(90), ms(99), ms(99.9), latency.max / 1000,
      latency.mean / 1000))
  out:close()
end
