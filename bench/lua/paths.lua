-- wrk script: each request asks for one of KEYS paths PREFIX<1..KEYS>, chosen uniformly at
-- random from a seeded generator, so every run and every peer sees the same sequence.
--
--   wrk ... -s bench/lua/paths.lua http://127.0.0.1:PORT -- KEYS PREFIX SEED
--   requests GET PREFIX<n>, n in 1..KEYS (the paths every replay peer is loaded with)
--
-- As in zipf.lua, init() prebuilds every request string, so a request costs wrk one random
-- draw and a table lookup: the less the client works, the less it limits the server.

local thread_count = 0

function setup(thread)
    -- Runs in wrk's main state, once per thread before init(): gives each thread its own seed.
    thread:set("thread_index", thread_count)
    thread_count = thread_count + 1
end

local keys, requests

function init(args)
    keys = tonumber(args[1]) or 10000
    local prefix = args[2] or "/api/items/"
    local seed = tonumber(args[3]) or 1
    math.randomseed(seed + 7919 * (thread_index or 0))
    requests = {}
    for n = 1, keys do
        requests[n] = wrk.format("GET", prefix .. n)
    end
end

function request()
    return requests[math.random(keys)]
end
