-- wrk's --latency prints 50/75/90/99 %; the search budget is a p95 (issue 15). Printed after the
-- report, in microseconds, and read by bench/wrk.py.
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\n", latency:percentile(95)))
end
