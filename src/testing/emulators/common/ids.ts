/** A deterministic source of ids in a vendor's format. */
export interface IdGenerator {
  /** The next id. */
  next(): string;
  /** Restarts the sequence from its seed. */
  reset(): void;
}

/** Options for {@link createNumericIdGenerator}. */
export interface NumericIdGeneratorOptions {
  /**
   * The first id handed out.
   * @default 1001
   */
  start?: number | undefined;
}

/**
 * Creates a generator of numeric-string ids (`"1001"`, `"1002"`, …), the format HubSpot and Pipedrive use.
 * Deterministic, so tests can assert exact ids.
 *
 * @example
 * const ids = createNumericIdGenerator({ start: 51 });
 * ids.next(); // "51"
 */
export function createNumericIdGenerator(options: NumericIdGeneratorOptions = {}): IdGenerator & {
  /** Makes sure the sequence never hands out `id` (used when seeding records with explicit ids). */
  reserve(id: string): void;
} {
  const start = options.start ?? 1001;
  if (!Number.isSafeInteger(start) || start < 0)
    throw new RangeError(
      `createNumericIdGenerator: option \`start\` must be a non-negative integer, got ${start}`,
    );
  let next = start;
  return {
    next: () => String(next++),
    reset() {
      next = start;
    },
    reserve(id) {
      const value = Number(id);
      if (Number.isSafeInteger(value) && value >= next) next = value + 1;
    },
  };
}

/** Options for {@link createUuidGenerator}. */
export interface UuidGeneratorOptions {
  /**
   * Seed of the pseudo-random sequence; the same seed yields the same UUIDs.
   * @default 1
   */
  seed?: number | undefined;
}

/**
 * Creates a seeded generator of version-4-shaped UUIDs for correlation and request ids, so error bodies are
 * reproducible across runs.
 *
 * @example
 * const uuids = createUuidGenerator({ seed: 7 });
 * uuids.next(); // always the same first value for seed 7
 */
export function createUuidGenerator(options: UuidGeneratorOptions = {}): IdGenerator {
  const seed = options.seed ?? 1;
  let state = seed >>> 0;
  // mulberry32: tiny, fast and good enough for ids that only need to be distinct and reproducible.
  const random32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const hex = (): string => {
    let out = "";
    for (let i = 0; i < 4; i++) out += random32().toString(16).padStart(8, "0");
    return out;
  };
  return {
    next() {
      const h = hex();
      const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    reset() {
      state = seed >>> 0;
    },
  };
}
