-- wrk script of bench/load.py: cycles through the URLs in $LOAD_URLS with the session
-- cookie in $LOAD_COOKIE, and prints one machine-readable line at the end.
local urls = {}
for line in io.lines(os.getenv("LOAD_URLS")) do
  urls[#urls + 1] = line
end
local cookie = os.getenv("LOAD_COOKIE")
local counter = 0

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 7
end

function request()
  offset = (offset or 0) % #urls + 1
  return wrk.format("GET", urls[offset], { ["Cookie"] = cookie })
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "LOAD_RESULT requests=%d duration_us=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f errors=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
