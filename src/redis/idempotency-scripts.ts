import { defineRedisScript } from "./redis-like.js";

// Lua for the Redis idempotency store. One record is one hash; every operation is one script, so it is atomic
// and costs one round trip. Time is always the server's `TIME` (ms), never the caller's clock.
// Fields: st state, fp fingerprint, own owner token, att attempt, lms lease ms, lexp lease expiry, cr created,
// exp record expiry (also the key's PEXPIREAT), cp checkpoint JSON, res result JSON (absent = undefined),
// err error JSON.

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// A write is allowed only for the owner of a live in-progress record; anything else reports the state it saw.
const OWNED = `${NOW}local r = redis.call('HMGET', KEYS[1], 'st', 'own', 'exp')
if not r[1] or tonumber(r[3]) <= now then return {'lost', 'missing'} end
if r[1] ~= 'in_progress' or r[2] ~= ARGV[1] then return {'lost', r[1]} end
`;

/** ARGV: fingerprint, token, leaseMs, ttlMs. */
export const ACQUIRE =
  defineRedisScript(`${NOW}local r = redis.call('HMGET', KEYS[1], 'st', 'fp', 'att', 'lexp', 'cr', 'exp', 'cp', 'res', 'err')
local lease = tonumber(ARGV[3])
if not r[1] or tonumber(r[6]) <= now then
  local lexp = now + lease
  local exp = now + tonumber(ARGV[4])
  if r[1] then redis.call('DEL', KEYS[1]) end
  redis.call('HSET', KEYS[1], 'st', 'in_progress', 'fp', ARGV[1], 'own', ARGV[2], 'att', 1, 'lms', lease,
    'lexp', lexp, 'cr', now, 'exp', exp)
  redis.call('PEXPIREAT', KEYS[1], exp)
  return {'acquired', now, 1, lexp, false}
end
if r[2] ~= ARGV[1] then return {'mismatch'} end
if r[1] == 'completed' or r[1] == 'failed' then
  return {'replay', now, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]}
end
local lexp = tonumber(r[4])
if r[1] == 'in_progress' and lexp > now then return {'in_progress', now, lexp - now, tonumber(r[3])} end
local att = tonumber(r[3]) + 1
lexp = now + lease
local exp = math.max(tonumber(r[6]), lexp)
redis.call('HSET', KEYS[1], 'st', 'in_progress', 'own', ARGV[2], 'att', att, 'lms', lease, 'lexp', lexp, 'exp', exp)
redis.call('HDEL', KEYS[1], 'err')
redis.call('PEXPIREAT', KEYS[1], exp)
return {'acquired', now, att, lexp, r[7]}
`);

/** ARGV: token, leaseMs. Returns the new lease expiry. */
export const RENEW = defineRedisScript(`${OWNED}local lexp = now + tonumber(ARGV[2])
local exp = math.max(tonumber(r[3]), lexp)
redis.call('HSET', KEYS[1], 'lexp', lexp, 'lms', ARGV[2], 'exp', exp)
redis.call('PEXPIREAT', KEYS[1], exp)
return {'ok', lexp}
`);

/** ARGV: token, checkpoint JSON. */
export const CHECKPOINT = defineRedisScript(`${OWNED}redis.call('HSET', KEYS[1], 'cp', ARGV[2])
return {'ok'}
`);

/** ARGV: token, '1' when a result is given, result JSON. */
export const COMPLETE = defineRedisScript(`${OWNED}if ARGV[2] == '1' then
  redis.call('HSET', KEYS[1], 'st', 'completed', 'res', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'st', 'completed')
  redis.call('HDEL', KEYS[1], 'res')
end
redis.call('HDEL', KEYS[1], 'own', 'lexp')
return {'ok'}
`);

/** ARGV: token, 'released' | 'failed', error JSON. */
export const FAIL = defineRedisScript(`${OWNED}redis.call('HSET', KEYS[1], 'st', ARGV[2], 'err', ARGV[3])
redis.call('HDEL', KEYS[1], 'own', 'lexp')
return {'ok'}
`);

/** ARGV: token. */
export const RELEASE = defineRedisScript(`${OWNED}redis.call('HSET', KEYS[1], 'st', 'released')
redis.call('HDEL', KEYS[1], 'own', 'lexp')
return {'ok'}
`);

/** Returns {now, st, fp, att, lexp, cr, exp, cp, res, err}, or {now} when absent or expired. */
export const GET =
  defineRedisScript(`${NOW}local r = redis.call('HMGET', KEYS[1], 'st', 'fp', 'att', 'lexp', 'cr', 'exp', 'cp', 'res', 'err')
if not r[1] or tonumber(r[6]) <= now then return {now} end
return {now, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]}
`);
