-- wrk script for row 2 (benchmarks/wrk.py). Without arguments every request is the URL's GET.
-- With one argument, the path of a Lua file returning a list of {path, headers, body}, each
-- request is the next of that list (POST), the threads taking turns through it, so check-ins
-- spread over every objective. done() prints the summary as one JSON line.

local requests = nil
local count = 0

function setup(thread)
  thread:set("id", thread_number or 0)
  thread_number = (thread_number or 0) + 1
end

function init(args)
  if args[1] ~= nil then
    requests = dofile(args[1])
  end
  threads = tonumber(os.getenv("WRK_THREADS") or "1")
end

function request()
  if requests == nil then
    return wrk.request()
  end
  count = count + 1
  local entry = requests[((count * threads + id) % #requests) + 1]
  return wrk.format("POST", entry[1], entry[2], entry[3])
end

function done(summary, latency, requests_)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
