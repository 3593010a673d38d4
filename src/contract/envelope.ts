import { createHash } from "node:crypto";
import * as z from "zod";
import { CONTRACT_LIMITS } from "./bounds.js";
import { Identifier, Timestamp } from "./fields.js";
import { quote } from "./outcome.js";
import { CONTRACT_VERSION, isSupportedContractVersion } from "./version.js";

/** `event_type` values: dot-separated lower-case words, e.g. `lead.submitted`, `trial.started`. */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;

/** `source_system` values: letters, digits, `.`, `_` and `-` (no `:`, which separates idempotency-key parts). */
export const SOURCE_SYSTEM_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const ContractVersion = z
  .string()
  .max(CONTRACT_LIMITS.contractVersion)
  .meta({ pattern: "^1\\.\\d+$", examples: [CONTRACT_VERSION] })
  .refine(isSupportedContractVersion, {
    params: { code: "unsupported_contract_version" },
    error: (issue) =>
      `${quote(String(issue.input))} is not a supported contract version; this crmkit reads 1.x, send "${CONTRACT_VERSION}"`,
  });

const SourceSystem = z
  .string()
  .max(CONTRACT_LIMITS.sourceSystem)
  .meta({ pattern: SOURCE_SYSTEM_PATTERN.source, examples: ["webflow", "stripe", "cal.com"] })
  .refine((value) => SOURCE_SYSTEM_PATTERN.test(value), {
    params: { code: "invalid_source_system" },
    error: (issue) =>
      `${quote(String(issue.input))} is not a valid source system name; use letters, digits, ".", "_" and "-", e.g. "webflow"`,
  });

const Raw = z
  .unknown()
  .meta({ description: `The producer's original payload, kept for audit; never written to a CRM.` })
  .superRefine((value, ctx) => {
    let json: string;
    try {
      json = JSON.stringify(value) ?? "";
    } catch {
      ctx.addIssue({
        code: "custom",
        params: { code: "invalid_raw" },
        message: "is not JSON-serializable (it holds a bigint or a similar value); send plain JSON",
      });
      return;
    }
    // A UTF-16 code unit is at most 3 bytes of UTF-8, so a short text needs no byte count.
    if (json.length * 3 <= CONTRACT_LIMITS.rawBytes) return;
    const bytes = Buffer.byteLength(json);
    if (bytes > CONTRACT_LIMITS.rawBytes) {
      ctx.addIssue({
        code: "custom",
        params: { code: "too_big" },
        message: `is ${bytes} bytes as JSON; the limit is ${CONTRACT_LIMITS.rawBytes} (CONTRACT_LIMITS.rawBytes): send a trimmed copy or leave it out`,
      });
    }
  });

/**
 * The fields every canonical event carries. `event_type` is added by each event type as a literal.
 * `idempotency_key` is optional on the wire and always present after parsing (see {@link deriveIdempotencyKey}).
 *
 * @example
 * const envelope = Envelope.parse(body); // validates only the shared fields
 */
export const Envelope = z.object({
  event_id: Identifier,
  contract_version: ContractVersion,
  source_system: SourceSystem,
  source_record_id: Identifier,
  occurred_at: Timestamp,
  received_at: Timestamp.optional(),
  correlation_id: Identifier,
  idempotency_key: z.string().max(CONTRACT_LIMITS.idempotencyKey).trim().min(1).optional(),
  raw: Raw.optional(),
});

/** The parsed envelope fields. */
export type Envelope = z.output<typeof Envelope>;

/** The parts the default idempotency key is built from. */
export interface IdempotencyKeyParts {
  /** The event type, e.g. `lead.submitted`. */
  event_type: string;
  /** The producer, e.g. `webflow`. */
  source_system: string;
  /** The producer's id for the record, e.g. a form submission id. */
  source_record_id: string;
}

/**
 * The idempotency key used when an event does not carry one: `event_type:source_system:source_record_id`, so a
 * redelivered or replayed event maps to the same key. When that would exceed
 * {@link CONTRACT_LIMITS.idempotencyKey}, the record id is replaced by its SHA-256 (`…:sha256:<hex>`), which
 * keeps the key stable and within every store's limit.
 *
 * @example
 * deriveIdempotencyKey({ event_type: "lead.submitted", source_system: "webflow", source_record_id: "sub_1" });
 * // "lead.submitted:webflow:sub_1"
 */
export function deriveIdempotencyKey(parts: IdempotencyKeyParts): string {
  const key = `${parts.event_type}:${parts.source_system}:${parts.source_record_id}`;
  if (key.length <= CONTRACT_LIMITS.idempotencyKey) return key;
  const digest = createHash("sha256").update(parts.source_record_id).digest("hex");
  return `${parts.event_type}:${parts.source_system}:sha256:${digest}`;
}
