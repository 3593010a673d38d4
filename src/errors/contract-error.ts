const BRAND = Symbol.for("crmkit.ContractError");

/** One problem found while parsing an event: where it is, what kind it is, and what to do about it. */
export interface ContractIssue {
  /** JSON path of the offending value, e.g. `["contact", "email"]`. Empty for the whole input. */
  readonly path: readonly (string | number)[];
  /** The same path as a dotted string (`contact.email`, `lead.detected_stack.2`), or `(root)`. */
  readonly field: string;
  /** Machine-readable kind, e.g. `invalid_type`, `invalid_email`, `too_big`, `unknown_event_type`. */
  readonly code: string;
  /** A sentence that says what is wrong and how to fix it. */
  readonly message: string;
}

/** The serialized form of a {@link ContractError}. */
export interface ContractErrorJSON {
  name: "ContractError";
  message: string;
  reason: "contract_violation";
  action: "review";
  eventType?: string;
  issues: ContractIssue[];
}

/** Builds a {@link ContractIssue}, deriving `field` from `path`. */
export function contractIssue(
  path: readonly (string | number)[],
  code: string,
  message: string,
): ContractIssue {
  return { path: [...path], field: path.length === 0 ? "(root)" : path.join("."), code, message };
}

/**
 * Input that does not satisfy the canonical event contract. It is deliberately not a {@link CrmError}: the CRM
 * was never called, and the fix is in the producer's data. It carries **every** issue found, never just the
 * first, and its action is always `review`.
 *
 * @example
 * const result = parseEvent(body);
 * if (result.isErr()) for (const issue of result.error.issues) console.log(issue.field, issue.message);
 */
export class ContractError extends Error {
  override readonly name = "ContractError" as const;
  readonly reason = "contract_violation" as const;
  readonly action = "review" as const;
  readonly issues: readonly ContractIssue[];
  /** The `event_type` of the input, when it had a recognisable one. */
  readonly eventType?: string;

  constructor(
    issues: readonly ContractIssue[],
    options: { eventType?: string | undefined; cause?: unknown } = {},
  ) {
    const first = issues[0];
    const summary =
      first === undefined
        ? "The event does not match the contract"
        : `${first.field}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? "s" : ""})` : ""}`;
    super(summary, { cause: options.cause });
    Object.defineProperty(this, BRAND, { value: true });
    this.issues = issues.map((issue) => ({ ...issue, path: [...issue.path] }));
    if (options.eventType !== undefined) this.eventType = options.eventType;
  }

  /** A JSON-safe copy with every issue. */
  toJSON(): ContractErrorJSON {
    const json: ContractErrorJSON = {
      name: "ContractError",
      message: this.message,
      reason: this.reason,
      action: this.action,
      issues: this.issues.map((issue) => ({ ...issue, path: [...issue.path] })),
    };
    if (this.eventType !== undefined) json.eventType = this.eventType;
    return json;
  }
}

/**
 * True for any `ContractError`, across realms and package copies.
 *
 * @example
 * if (isContractError(error)) return reply.status(422).send(error.toJSON());
 */
export function isContractError(value: unknown): value is ContractError {
  if (value instanceof ContractError) return true;
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<ContractError> & { [BRAND]?: unknown };
  return candidate[BRAND] === true && candidate.name === "ContractError" && Array.isArray(candidate.issues);
}
