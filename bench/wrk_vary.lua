-- Cycle through a file of real paths, one per line, and make every request's URL distinct
-- (a `v=` counter), so the reader-page cache never answers: bench/load.py --vary.
-- wrk ... -s bench/wrk_vary.lua URL -- PATHS_FILE
local thread_count = 0
setup = function(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

local paths = {}
local counter = 0
init = function(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  counter = (id or 0) * 1000003
end

request = function()
  counter = counter + 1
  local path = paths[counter % #paths + 1]
  local sep = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format("GET", path .. sep .. "v=" .. counter)
end
