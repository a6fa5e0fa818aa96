-- Readers of a newsroom site for bench/newsroom.py: each request picks a URL from a file of
-- real paths (most popular first) by a Zipf distribution, or (mode "distinct") walks the file
-- adding a `v=` counter so that no URL repeats. Counts the reader cache's hits and misses
-- (the X-Cache header: hit, stale — the previous rendering while another request renders the page —, miss) and prints wrk's results as one JSON line (latency in microseconds).
-- wrk ... -s bench/wrk_newsroom.lua URL -- PATHS_FILE zipf|distinct EXPONENT
local threads = {}
local thread_count = 0
setup = function(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  threads[#threads + 1] = thread
end

local paths, cdf = {}, {}
local distinct = false
local counter = 0
hits, misses, stale, not_ok = 0, 0, 0, 0

init = function(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  distinct = args[2] == "distinct"
  local exponent = tonumber(args[3] or "1.0")
  local total = 0
  for i = 1, #paths do
    total = total + 1 / (i ^ exponent)
    cdf[i] = total
  end
  for i = 1, #paths do
    cdf[i] = cdf[i] / total
  end
  math.randomseed(os.time() + (id or 0) * 7919)
  -- Distinct across runs too (the warm-up must not fill the cache for the measured run).
  counter = os.time() * 100000 + (id or 0) * 1000000000000
end

local function zipf_index()
  local r = math.random()
  local lo, hi = 1, #cdf
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < r then lo = mid + 1 else hi = mid end
  end
  return lo
end

request = function()
  if distinct then
    counter = counter + 1
    local path = paths[counter % #paths + 1]
    local sep = string.find(path, "?", 1, true) and "&" or "?"
    return wrk.format("GET", path .. sep .. "v=" .. counter)
  end
  return wrk.format("GET", paths[zipf_index()])
end

response = function(status, headers, body)
  -- A redirect or an error page is not a reader's page: counted apart, never as a hit.
  if status ~= 200 then
    not_ok = not_ok + 1
  end
  local cached = headers["X-Cache"]
  if cached == "hit" then
    hits = hits + 1
  elseif cached == "miss" then
    misses = misses + 1
  elseif cached == "stale" then
    stale = stale + 1
  end
end

done = function(summary, latency, requests)
  local all_hits, all_misses, all_stale, all_not_ok = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    all_hits = all_hits + thread:get("hits")
    all_misses = all_misses + thread:get("misses")
    all_stale = all_stale + thread:get("stale")
    all_not_ok = all_not_ok + thread:get("not_ok")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "non_2xx": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, "hits": %d, "misses": %d, "stale": %d, "not_ok": %d}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    all_hits, all_misses, all_stale, all_not_ok))
end
