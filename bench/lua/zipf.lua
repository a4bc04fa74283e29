-- wrk script: each request asks for one of KEYS objects, chosen by rank with a Zipf(S)
-- distribution (S = 0 gives a uniform choice), from a seeded generator so every run and every
-- peer sees the same sequence.
--
--   wrk ... -s bench/lua/zipf.lua http://127.0.0.1:PORT -- KEYS S SIZE PREFIX SEED
--   requests GET /obj/SIZE/PREFIX<rank>, rank in 1..KEYS (what bench/driver.py warms)
--
-- The work per request must stay small: wrk shares its core with nothing else, but the fewer
-- client cycles per request, the less the client limits the server. So init() precomputes the
-- cumulative distribution and every request string; request() draws one number, binary
-- searches the table and returns a prebuilt string.

local thread_count = 0

function setup(thread)
    -- Runs in wrk's main state, once per thread before init(): gives each thread its own seed.
    thread:set("thread_index", thread_count)
    thread_count = thread_count + 1
end

local keys, cdf, requests, uniform

function init(args)
    keys = tonumber(args[1]) or 10000
    local s = tonumber(args[2]) or 0.99
    local size = args[3] or "1024"
    local prefix = args[4] or "z"
    local seed = tonumber(args[5]) or 1
    math.randomseed(seed + 7919 * (thread_index or 0))

    requests = {}
    for rank = 1, keys do
        requests[rank] = wrk.format("GET", "/obj/" .. size .. "/" .. prefix .. rank)
    end

    uniform = s == 0
    if uniform then return end
    -- cdf[rank] = P(choice <= rank) = sum_{k <= rank} k^-s / sum_{k <= keys} k^-s
    cdf = {}
    local sum = 0
    for rank = 1, keys do
        sum = sum + rank ^ -s
        cdf[rank] = sum
    end
    for rank = 1, keys do
        cdf[rank] = cdf[rank] / sum
    end
    cdf[keys] = 1.0   -- no draw can fall past the last rank through rounding
end

function request()
    local r = math.random()   -- uniform in [0, 1)
    if uniform then
        return requests[math.floor(r * keys) + 1]
    end
    -- The smallest rank whose cumulative probability exceeds r.
    local lo, hi = 1, keys
    while lo < hi do
        local mid = math.floor((lo + hi) / 2)
        if cdf[mid] > r then
            hi = mid
        else
            lo = mid + 1
        end
    end
    return requests[lo]
end
