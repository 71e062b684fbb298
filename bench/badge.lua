-- bench/badge.lua — wrk script for the public badge check benchmark
-- (bench/run.sh, issue 5): each request checks the next badge of a list,
-- round and round, as customers at many doors would.
--
--     wrk -s bench/badge.lua http://127.0.0.1:PORT -- TOKENS
--
-- TOKENS is a file with one badge token a line (bench/run.sh writes it
-- from the database); each becomes
--     GET /api/v1/public/badge?token=<token>
-- Tokens are base64url, so they go into the URL as they are.

local requests = {}
local n, i = 0, 0

function init(args)
	local f = assert(io.open(assert(args[1], "badge.lua: give the token file"), "r"))
	for line in f:lines() do
		if line ~= "" then
			n = n + 1
			requests[n] = wrk.format("GET", "/api/v1/public/badge?token=" .. line)
		end
	end
	f:close()
	assert(n > 0, "badge.lua: no tokens")
end

function request()
	i = i % n + 1
	return requests[i]
end
