-- wrk script: DEPTH requests for PATH sent in one write, the next batch once all DEPTH
-- responses are in (wrk counts the requests in the string request() returns and waits for as
-- many responses). Measures how a server batches: one read, DEPTH responses, ideally one write.
--
--   wrk ... -s bench/lua/pipeline.lua http://127.0.0.1:PORT -- DEPTH PATH

local batch

function init(args)
    local depth = tonumber(args[1]) or 16
    local path = args[2] or "/obj/1024/a"
    batch = string.rep(wrk.format("GET", path), depth)
end

function request()
    return batch
end
