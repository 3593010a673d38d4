import { err, ok, type Result } from "neverthrow";
import type * as z from "zod";
import { ContractError, contractIssue } from "../errors/index.js";

// Webhook bodies reach a handler as text, bytes or JSON a framework already parsed; every vendor's parser takes
// all three and reports a body it cannot use as a `ContractError`, like a canonical event that fails its contract.

/** The JSON of a webhook body given as text, UTF-8 bytes or an already parsed value; never throws. */
export function parseWebhookJson(body: unknown): Result<unknown, ContractError> {
  if (typeof body !== "string" && !(body instanceof Uint8Array)) return ok(body);
  try {
    return ok(JSON.parse(typeof body === "string" ? body : Buffer.from(body).toString("utf8")));
  } catch {
    return err(new ContractError([contractIssue([], "invalid_json", "The webhook body is not valid JSON")]));
  }
}

/**
 * A failed zod parse of a webhook body as a `ContractError` carrying every issue. `dropPrefix` path segments are
 * removed from each issue's path, for a body the parser wrapped before validating it (a lone event in an array).
 */
export function webhookContractError(error: z.ZodError, dropPrefix = 0): ContractError {
  return new ContractError(
    error.issues.map((issue) =>
      contractIssue(issue.path.slice(dropPrefix) as (string | number)[], issue.code, issue.message),
    ),
  );
}
