-- wrk reports p50/p75/p90/p99 only; the bench wants p95 and errors (non-2xx/3xx and socket errors) too.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format("rps=%.2f\n", summary.requests / seconds))
  io.write(string.format("p50=%.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("p95=%.3f\n", latency:percentile(95) / 1000))
  io.write(string.format("p99=%.3f\n", latency:percentile(99) / 1000))
  io.write(string.format("errors=%d\n", errors))
end
