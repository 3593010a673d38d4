/**
 * Redis backends for crmkit: the shared rate-limit store and the idempotency store. Bring your own ioredis or
 * node-redis client; crmkit never opens connections of its own.
 * @module
 */
export { createRedisIdempotencyStore, type RedisIdempotencyStoreOptions } from "./idempotency-store.js";
export { createRedisRateLimitStore, type RedisRateLimitStoreOptions } from "./rate-limit-store.js";
export type { IoRedisLike, NodeRedisClusterLike, NodeRedisLike, RedisLike } from "./redis-like.js";
