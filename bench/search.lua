-- bench/search.lua — wrk script for the households search benchmark
-- (bench/run.sh, issue 3): each request is the next of a list of searches,
-- round and round, so that one run mixes cheap and costly queries.
--
--     wrk -s bench/search.lua -H 'Cookie: …' http://127.0.0.1:PORT -- QUERIES [LIMIT]
--
-- QUERIES is a file with one query a line, "class<TAB>query" (UTF-8, as
-- bench/run.sh writes bench/out/search-queries.tsv); each becomes
--     GET /api/v1/households?q=<query, percent-encoded>&limit=LIMIT (20)
-- Headers given with -H (the session cookie) go with every request.
-- Without a file, a built-in list is used (queries that match the
-- generated data whatever its size: common names, an estate, …).

local builtin = {
	"name2\t张伟", "name2\t王芳", "name2\t李娜", "name2\t刘洋",
	"name3\t王秀英", "name3\t张建华",
	"estate_building\t幸福里3栋", "estate_building_unit\t幸福里3栋2单元",
	"many\t浦东新区", "none\t查无此户",
}

-- RFC 3986: everything but unreserved characters, byte by byte, %XX upper case.
function urlencode(s)
	return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local requests = {}
local n, i = 0, 0

function init(args)
	local file, limit = args[1], args[2] or "20"
	local lines = {}
	if file and file ~= "" then
		local f = assert(io.open(file, "r"), "search.lua: cannot open " .. file)
		for line in f:lines() do
			if line ~= "" then lines[#lines + 1] = line end
		end
		f:close()
	else
		lines = builtin
	end
	for _, line in ipairs(lines) do
		local q = line:match("\t(.*)$") or line
		n = n + 1
		requests[n] = wrk.format("GET", "/api/v1/households?q=" .. urlencode(q) .. "&limit=" .. limit)
	end
	assert(n > 0, "search.lua: no queries")
	-- Threads (and runs) start at different places of the list.
	i = math.random(n) - 1
end

function request()
	i = i % n + 1
	return requests[i]
end
