import { defineRedisScript } from "./redis-like.js";

// Two scripts share one argument encoding. ACQUIRE is the hot path (one call per admission attempt): inside a
// script every redis.call costs about a microsecond of argument and reply conversion on top of the command, more
// than most of the commands themselves, so it issues as few as it can and is written without helper functions
// (each `local function` is a new closure on every call). OPS serves the rare modes and keeps its helpers for
// clarity. Redis `TIME` is the only clock, so processes with skewed clocks still share exact windows.
//
// KEYS[1] = the scope's cooldown key; KEYS[1 + i] = policy i's key (calendar keys get ":<period start>" appended
// here, inside the scope's hash tag).
// Per policy, variable length: kind, units, limit, then L (sliding): window | B (rolling): window, bucket |
// C (calendar): previous, current and next period starts, next period end | N (concurrency): nothing.

/**
 * ARGV: permit id, lease ms, concurrency poll ms, policies….
 * Replies {1, now} admitted | {0, wait ms, policy index (0 = cooldown)} | {-1, limit, policy index}.
 *
 * Commands when admitted: TIME, one MGET (the cooldown and every calendar counter), then per policy
 * L: ZCARD ZADD PEXPIRE | B: HMGET HSET | C: INCRBY | N: ZCARD ZADD PEXPIRE. A log is pruned only when its
 * unpruned count would refuse the request (only stale entries could then make room), so it never outgrows its
 * limit; fixed expiries (a calendar period's end, a rolling bucket's end) are set once, when the counter or
 * bucket is created.
 */
export const RATE_LIMIT_ACQUIRE_SCRIPT = defineRedisScript(`
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
-- One MGET reads the pause's end (the cooldown key's value) and the current period's counter of every calendar
-- policy, so a calendar policy costs no read of its own. slots[i] is policy i's place in that reply.
local names, slots, stops = {KEYS[1]}, {}, {}
local p = 4
for i = 2, #KEYS do
  local kind = ARGV[p]
  if kind == 'L' then p = p + 4
  elseif kind == 'B' then p = p + 5
  elseif kind == 'N' then p = p + 3
  elseif kind == 'C' then
    local start, stop = ARGV[p + 3], tonumber(ARGV[p + 4])
    if now >= stop then
      start, stop = ARGV[p + 4], tonumber(ARGV[p + 5])
      if now >= stop then start, stop = ARGV[p + 5], tonumber(ARGV[p + 6]) end
    end
    names[#names + 1] = KEYS[i] .. ':' .. start
    slots[i], stops[i] = #names, stop
    p = p + 7
  else
    return redis.error_reply('crmkit rate-limit script: unknown policy kind ' .. tostring(kind))
  end
end
local values = redis.call('MGET', unpack(names))
local wait, worst = 0, 0
if values[1] then wait = math.max(0, values[1] - now) end
-- Rolling policies: the current bucket's count and the hash's total, as read by the check.
local buckets, totals = {}, {}
p = 4
for i = 2, #KEYS do
  local kind, key, units, lim = ARGV[p], KEYS[i], tonumber(ARGV[p + 1]), tonumber(ARGV[p + 2])
  if units > lim then return {-1, lim, i - 1} end
  local w = 0
  if kind == 'L' then
    local win = tonumber(ARGV[p + 3])
    p = p + 4
    local used = redis.call('ZCARD', key)
    if used + units > lim then
      used = used - redis.call('ZREMRANGEBYSCORE', key, '-inf', now - win)
      if used + units > lim then
        local rank = used + units - lim - 1
        w = redis.call('ZRANGE', key, rank, rank, 'WITHSCORES')[2] + win - now
      end
    end
  elseif kind == 'C' then
    p = p + 7
    if tonumber(values[slots[i]] or 0) + units > lim then w = stops[i] - now end
  elseif kind == 'B' then
    local win, bms = tonumber(ARGV[p + 3]), tonumber(ARGV[p + 4])
    p = p + 5
    local cur, first = math.floor(now / bms), math.floor((now - win) / bms)
    local h = redis.call('HMGET', key, 'o', 't', cur)
    local used, o = tonumber(h[2] or 0), tonumber(h[1] or first)
    buckets[i] = tonumber(h[3] or 0)
    if o < first then
      -- More stale buckets than live ones means every recorded bucket is stale (o is persisted on each prune).
      if first - o > cur - first + 1 then
        redis.call('DEL', key)
        used = 0
        buckets[i] = 0
      else
        for b = o, first - 1 do
          local v = redis.call('HGET', key, b)
          if v then used = used - v; redis.call('HDEL', key, b) end
        end
        if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 't', used, 'o', first) end
      end
    end
    totals[i] = used
    if used + units > lim then
      local need, freed = used + units - lim, 0
      w = win
      for b = first, cur do
        local v = redis.call('HGET', key, b)
        if v then freed = freed + v end
        if freed >= need then w = (b + 1) * bms + win - now; break end
      end
    end
  elseif kind == 'N' then
    p = p + 3
    local used = redis.call('ZCARD', key)
    if used + units > lim then
      used = used - redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
      if used + units > lim then
        -- Slots freed by other processes are not announced, so look again soon rather than at lease expiry.
        local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]
        w = math.max(1, math.min(first - now, tonumber(ARGV[3])))
      end
    end
  end
  if w > wait then wait = w; worst = i - 1 end
end
if wait > 0 then return {0, math.ceil(wait), worst} end

p = 4
for i = 2, #KEYS do
  local kind, key, units = ARGV[p], KEYS[i], tonumber(ARGV[p + 1])
  if kind == 'L' or kind == 'N' then
    -- A sliding entry is scored by its admission and lives one window; a concurrency slot by its lease end.
    local score, ttl
    if kind == 'L' then
      score, ttl = now, tonumber(ARGV[p + 3])
      p = p + 4
    else
      score, ttl = now + tonumber(ARGV[2]), tonumber(ARGV[2])
      p = p + 3
    end
    if units == 1 then
      redis.call('ZADD', key, score, ARGV[1] .. '.1')
    elseif units > 1 then
      local j = 1
      while j <= units do
        local batch, last = {}, math.min(units, j + 499)
        for m = j, last do batch[#batch + 1] = score; batch[#batch + 1] = ARGV[1] .. '.' .. m end
        redis.call('ZADD', key, unpack(batch))
        j = last + 1
      end
    end
    if units > 0 then redis.call('PEXPIRE', key, ttl) end
  elseif kind == 'C' then
    p = p + 7
    -- The period key's expiry never moves, so it is set when the counter starts (INCRBY answers units).
    local counter = names[slots[i]]
    if units > 0 and redis.call('INCRBY', counter, units) == units then
      redis.call('PEXPIREAT', counter, stops[i] + 60000)
    end
  else
    local win, bms = tonumber(ARGV[p + 3]), tonumber(ARGV[p + 4])
    p = p + 5
    if units > 0 then
      -- The check read this bucket and the total, and nothing ran since, so one HSET writes both (and the prune
      -- mark). The hash lives until its newest bucket leaves the window: set when that bucket starts.
      local b = math.floor(now / bms)
      redis.call('HSET', key, b, buckets[i] + units, 't', totals[i] + units, 'o', math.floor((now - win) / bms))
      if buckets[i] == 0 then redis.call('PEXPIREAT', key, (b + 1) * bms + win) end
    end
  end
end
return {1, now}
`);

/**
 * ARGV: mode (S stats | R reconcile | F refund | D release), permit id (F, D) or phantom-member id (R),
 * vendor-used (R) | acquired-at ms (F), for-ms (R) | concurrency poll ms (S), policies….
 * Replies S → {now, cooldown pttl, used1, wait1, used2, wait2, …}; R → units charged; F, D → 1.
 */
export const RATE_LIMIT_OPS_SCRIPT = defineRedisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mode = ARGV[1]
local n = #KEYS - 1

local offsets, q = {}, 5
for i = 1, n do
  offsets[i] = q
  local kind = ARGV[q]
  if kind == 'L' then q = q + 4 elseif kind == 'B' then q = q + 5 elseif kind == 'C' then q = q + 7 else q = q + 3 end
end
-- arg(i, 1) kind, 2 units, 3 limit, 4… the kind's parameters.
local function arg(i, k) return ARGV[offsets[i] + k - 1] end

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
      w = math.max(1, math.min(tonumber(e[2]) - now, tonumber(ARGV[4])))
    end
  end
  return used, w
end

-- Phantom usage (reconcile) at instant 'at', which may lie in the past.
local function charge(i, units, at, member)
  local kind, key = arg(i, 1), KEYS[i + 1]
  if units <= 0 then return end
  if kind == 'L' then
    local j = 1
    while j <= units do
      local batch, last = {}, math.min(units, j + 499)
      for m = j, last do batch[#batch + 1] = at; batch[#batch + 1] = member .. '.' .. m end
      redis.call('ZADD', key, unpack(batch))
      j = last + 1
    end
    redis.call('PEXPIRE', key, tonumber(arg(i, 4)))
  elseif kind == 'B' then
    local win, bms = tonumber(arg(i, 4)), tonumber(arg(i, 5))
    local b = math.floor(at / bms)
    redis.call('HINCRBY', key, b, units)
    redis.call('HINCRBY', key, 't', units)
    redis.call('HSET', key, 'o', math.floor((now - win) / bms))
    redis.call('PEXPIRE', key, win + bms)
  elseif kind == 'C' then
    local start, stop = period(i, at)
    redis.call('INCRBY', key .. ':' .. start, units)
    redis.call('PEXPIREAT', key .. ':' .. start, stop + 60000)
  end
end

if mode == 'S' then
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
  charge(1, missing, at, ARGV[2])
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
`);

/**
 * Extends a scope's pause to `ARGV[1]` ms unless it is already paused longer; the key's value is the pause's end
 * (epoch ms). Replies {now, the pause's PTTL}.
 */
export const COOLDOWN_SCRIPT = defineRedisScript(`
local ms = tonumber(ARGV[1])
local p = redis.call('PTTL', KEYS[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if p < ms then
  -- The value is the pause's end, so the acquire script reads it in the same MGET as its calendar counters.
  redis.call('SET', KEYS[1], now + ms, 'PX', ms)
  p = ms
end
return {now, p}
`);
