-- wrk script of bench/throughput.sh's simple flow: POST bench/simple-flow/order.json (or $BENCH_BODY) as JSON, with
-- "Authorization: Basic $BENCH_AUTH" when BENCH_AUTH is set (the ESB; the raw server takes no login).
-- At the end it prints one line "WRK_RESULT {...}" with the figures SimpleFlowBench reads (latencies in microseconds;
-- non2xx is wrk's count of answers with status >= 400 - a 3xx would not be counted, none of the two servers sends one).
local file = assert(io.open(os.getenv("BENCH_BODY") or "bench/simple-flow/order.json", "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
local auth = os.getenv("BENCH_AUTH")
if auth ~= nil and auth ~= "" then
  wrk.headers["Authorization"] = "Basic " .. auth
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"non2xx":%d,"connect_errors":%d,"read_errors":%d,'
      .. '"write_errors":%d,"timeouts":%d,"mean_us":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max))
end
