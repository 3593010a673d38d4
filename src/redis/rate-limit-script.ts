import { defineRedisScript } from "./redis-like.js";

// One script serves every store operation so the window math exists once. Redis `TIME` is the only clock, so
// processes with skewed clocks still share exact windows.
//
// KEYS[1] = the scope's cooldown key; KEYS[1 + i] = policy i's key (calendar keys get ":<period start>" appended
// here, inside the scope's hash tag).
// ARGV[1] = mode: A acquire | S stats | R reconcile | F refund | D release
// ARGV[2] = permit id (A, F, D) or phantom-member id (R)
// ARGV[3] = lease ms (A) | vendor-used (R) | acquired-at ms (F)
// ARGV[4] = concurrency poll ms (A) | for-ms (R)
// then 7 per policy: kind (L sliding, B rolling, C calendar, N concurrency), units, limit, a, b, c, d where
// L: a = window; B: a = window, b = bucket; C: a..d = previous, current, next period starts and next period end.
//
// Replies: A → {1, now} admitted | {0, wait ms, policy index (0 = cooldown)} | {-1, limit, policy index}
//          S → {now, cooldown pttl, used1, wait1, used2, wait2, …}
const SOURCE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mode = ARGV[1]
local n = #KEYS - 1

local function arg(i, k) return ARGV[4 + (i - 1) * 7 + k] end

local function period(i, at)
  if at < tonumber(arg(i, 5)) then return arg(i, 4), tonumber(arg(i, 5)) end
  if at < tonumber(arg(i, 6)) then return arg(i, 5), tonumber(arg(i, 6)) end
  return arg(i, 6), tonumber(arg(i, 7))
end

-- Prunes policy i and returns units used now and, when units more do not fit, ms until they do.
local function check(i, units)
  local kind, key, lim = arg(i, 1), KEYS[i + 1], tonumber(arg(i, 3))
  local used, w = 0, 0
  if kind == 'L' then
    local win = tonumber(arg(i, 4))
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - win)
    used = redis.call('ZCARD', key)
    if used + units > lim then
      local rank = used + units - lim - 1
      local e = redis.call('ZRANGE', key, rank, rank, 'WITHSCORES')
      w = tonumber(e[2]) + win - now
    end
  elseif kind == 'B' then
    local win, bms = tonumber(arg(i, 4)), tonumber(arg(i, 5))
    local cur, first = math.floor(now / bms), math.floor((now - win) / bms)
    local o = tonumber(redis.call('HGET', key, 'o') or first)
    used = tonumber(redis.call('HGET', key, 't') or '0')
    if o < first then
      -- More stale buckets than live ones means every recorded bucket is stale (o is persisted on each prune).
      if first - o > cur - first + 1 then
        redis.call('DEL', key)
        used = 0
      else
        for b = o, first - 1 do
          local v = redis.call('HGET', key, b)
          if v then used = used - tonumber(v); redis.call('HDEL', key, b) end
        end
        if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 't', used, 'o', first) end
      end
    end
    if used + units > lim then
      local need, freed = used + units - lim, 0
      w = win
      for b = first, cur do
        local v = redis.call('HGET', key, b)
        if v then freed = freed + tonumber(v) end
        if freed >= need then w = (b + 1) * bms + win - now; break end
      end
    end
  elseif kind == 'C' then
    local start, stop = period(i, now)
    used = tonumber(redis.call('GET', key .. ':' .. start) or '0')
    if used + units > lim then w = stop - now end
  elseif kind == 'N' then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    used = redis.call('ZCARD', key)
    if used + units > lim then
      local e = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      -- Slots freed by other processes are not announced, so look again soon rather than at lease expiry.
      w = math.max(1, math.min(tonumber(e[2]) - now, tonumber(ARGV[4])))
    end
  end
  return used, w
end

local function addMembers(key, score, prefix, units)
  local j = 1
  while j <= units do
    local batch = {}
    local last = math.min(units, j + 499)
    for m = j, last do batch[#batch + 1] = score; batch[#batch + 1] = prefix .. '.' .. m end
    redis.call('ZADD', key, unpack(batch))
    j = last + 1
  end
end

local function charge(i, units, at, member, lease)
  local kind, key = arg(i, 1), KEYS[i + 1]
  if units <= 0 then return end
  if kind == 'L' then
    addMembers(key, at, member, units)
    redis.call('PEXPIRE', key, tonumber(arg(i, 4)))
  elseif kind == 'B' then
    local win, bms = tonumber(arg(i, 4)), tonumber(arg(i, 5))
    redis.call('HINCRBY', key, math.floor(at / bms), units)
    redis.call('HINCRBY', key, 't', units)
    redis.call('HSET', key, 'o', math.floor((now - win) / bms))
    redis.call('PEXPIRE', key, win + bms)
  elseif kind == 'C' then
    local start, stop = period(i, at)
    redis.call('INCRBY', key .. ':' .. start, units)
    redis.call('PEXPIREAT', key .. ':' .. start, stop + 60000)
  elseif kind == 'N' then
    addMembers(key, now + lease, member, units)
    redis.call('PEXPIRE', key, lease)
  end
end

if mode == 'A' then
  local wait, worst = 0, 0
  local cd = redis.call('PTTL', KEYS[1])
  if cd > 0 then wait = cd end
  for i = 1, n do
    local units, lim = tonumber(arg(i, 2)), tonumber(arg(i, 3))
    if units > lim then return {-1, lim, i} end
  end
  for i = 1, n do
    local used, w = check(i, tonumber(arg(i, 2)))
    if w > wait then wait = w; worst = i end
  end
  if wait > 0 then return {0, math.ceil(wait), worst} end
  for i = 1, n do charge(i, tonumber(arg(i, 2)), now, ARGV[2], tonumber(ARGV[3])) end
  return {1, now}
elseif mode == 'S' then
  local out = {now, redis.call('PTTL', KEYS[1])}
  for i = 1, n do
    local used, w = check(i, 1)
    out[#out + 1] = used
    out[#out + 1] = math.ceil(w)
  end
  return out
elseif mode == 'R' then
  local used = check(1, 0)
  local missing = math.min(math.floor(tonumber(ARGV[3])), tonumber(arg(1, 3)) + 0) - used
  if missing <= 0 then return 0 end
  local at = now
  if arg(1, 1) == 'L' then
    local win = tonumber(arg(1, 4))
    at = math.min(now, math.max(now - win + 1, now + tonumber(ARGV[4]) - win))
  end
  charge(1, missing, at, ARGV[2], 0)
  return missing
elseif mode == 'F' then
  local at = tonumber(ARGV[3])
  for i = 1, n do
    local kind, key, units = arg(i, 1), KEYS[i + 1], tonumber(arg(i, 2))
    if kind == 'L' or kind == 'N' then
      for m = 1, units do redis.call('ZREM', key, ARGV[2] .. '.' .. m) end
    elseif kind == 'B' then
      local field = math.floor(at / tonumber(arg(i, 5)))
      local v = tonumber(redis.call('HGET', key, field) or '0')
      local back = math.min(v, units)
      if back > 0 then
        redis.call('HINCRBY', key, field, -back)
        redis.call('HINCRBY', key, 't', -back)
      end
    elseif kind == 'C' then
      local start = period(i, at)
      local v = tonumber(redis.call('GET', key .. ':' .. start) or '0')
      if v > 0 then redis.call('DECRBY', key .. ':' .. start, math.min(v, units)) end
    end
  end
  return 1
elseif mode == 'D' then
  for i = 1, n do
    if arg(i, 1) == 'N' then
      for m = 1, tonumber(arg(i, 3)) do redis.call('ZREM', KEYS[i + 1], ARGV[2] .. '.' .. m) end
    end
  end
  return 1
end
return redis.error_reply('crmkit rate-limit script: unknown mode ' .. tostring(mode))
`;

/** The rate-limit store's Lua script (all modes). */
export const RATE_LIMIT_SCRIPT = defineRedisScript(SOURCE);

/** Extends a scope's pause to `ARGV[1]` ms unless it is already paused longer; replies the pause's PTTL. */
export const COOLDOWN_SCRIPT = defineRedisScript(`
local ms = tonumber(ARGV[1])
local p = redis.call('PTTL', KEYS[1])
if p < ms then
  redis.call('SET', KEYS[1], '1', 'PX', ms)
  p = ms
end
local t = redis.call('TIME')
return {tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), p}
`);
