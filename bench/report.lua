-- wrk script of bench/load.py: counts responses by status code, by X-Cache
-- header ("hit", "miss"; "none" without one) and body size in every thread,
-- then prints one line "BENCH_JSON {...}" with the totals, latency percentiles
-- (microseconds) and wrk's socket errors. Any status other than 200 is an
-- error for the benchmark.
--
-- With a file as its argument (wrk ... <url> <file>; bench/mixed.py writes it),
-- each request picks its path at random from that file: one line per path,
-- "<cumulative probability> <path>", probabilities increasing to 1. Without
-- one, every request is the URL's (wrk builds it once).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local cumulative, paths = {}, {}

local function load_paths(file)
  for line in io.lines(file) do
    local probability, path = line:match("^(%S+) (%S+)$")
    table.insert(cumulative, tonumber(probability))
    table.insert(paths, path)
  end
end

-- The first path whose cumulative probability reaches a uniform draw (binary search).
local function weighted_request()
  local draw, low, high = math.random(), 1, #cumulative
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < draw then low = middle + 1 else high = middle end
  end
  return wrk.format(nil, paths[low])
end

function init(args)
  statuses = {}
  caches = {}
  body_min = -1
  body_max = 0
  if args[1] then
    load_paths(args[1])
    math.randomseed(thread_number)  -- each thread its own, repeatable sequence
    request = weighted_request      -- defined here, wrk asks it for every request
  end
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  local cache = headers["X-Cache"] or "none"
  caches[cache] = (caches[cache] or 0) + 1
  local size = body and #body or 0
  if body_min < 0 or size < body_min then body_min = size end
  if size > body_max then body_max = size end
end

local function json_object(map)
  local parts = {}
  for key, value in pairs(map) do
    table.insert(parts, string.format('"%s":%d', key, value))
  end
  table.sort(parts)
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local statuses_all, caches_all, non_200, responses = {}, {}, 0, 0
  local min_body, max_body = -1, 0
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("statuses") or {}) do
      statuses_all[key] = (statuses_all[key] or 0) + count
      responses = responses + count
      if key ~= "200" then non_200 = non_200 + count end
    end
    for key, count in pairs(thread:get("caches") or {}) do
      caches_all[key] = (caches_all[key] or 0) + count
    end
    local low, high = thread:get("body_min"), thread:get("body_max")
    if low and low >= 0 and (min_body < 0 or low < min_body) then min_body = low end
    if high and high > max_body then max_body = high end
  end
  local errors = summary.errors
  local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"responses":%d,"duration_s":%.3f,"rps":%.2f,' ..
    '"bytes":%d,"latency_us":{"p50":%.0f,"p90":%.0f,"p99":%.0f,"mean":%.1f,"max":%.0f},' ..
    '"statuses":%s,"x_cache":%s,"non_200":%d,' ..
    '"socket_errors":{"connect":%d,"read":%d,"write":%d,' ..
    '"timeout":%d},"errors":%d,"body_bytes":{"min":%d,"max":%d}}\n',
    summary.requests, responses, seconds, summary.requests / seconds, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max, json_object(statuses_all), json_object(caches_all), non_200,
    errors.connect, errors.read, errors.write, errors.timeout,
    non_200 + socket_errors, min_body, max_body))
end
