import { createHash } from "node:crypto";
import { err, ok, type Result } from "neverthrow";
import { readHeader, safeEqual, WebhookError, type WebhookHeaders } from "../../adapter/index.js";

/** Why a webhook request failed verification. */
export type PipedriveWebhookErrorCode = "missing_credentials" | "invalid_credentials" | "invalid_input";

/**
 * A webhook that must not be trusted. Answer it with 401 and do not process it; nothing about the CRM is wrong,
 * so this is deliberately not a `CrmError`. The message never contains the expected or the received password.
 */
export class PipedriveWebhookError extends WebhookError<PipedriveWebhookErrorCode> {
  override readonly name = "PipedriveWebhookError" as const;
}

/** A header bag: WHATWG `Headers`, or Node's `IncomingHttpHeaders`-style record. */
export type PipedriveWebhookHeaders = WebhookHeaders;

/** Input of {@link verifyPipedriveWebhook}. */
export interface VerifyPipedriveWebhookInput {
  /** The request headers; Pipedrive sends `Authorization: Basic base64(user:password)`. */
  headers: PipedriveWebhookHeaders;
  /** The `http_auth_user` you set when creating the webhook. */
  username: string;
  /** The `http_auth_password` you set when creating the webhook. */
  password: string;
}

// Digests have one length whatever the inputs, so the comparison takes the same time for any wrong credential.
const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/**
 * Verifies a Pipedrive webhook delivery. Pipedrive signs nothing: its only webhook authentication is HTTP Basic
 * auth with the `http_auth_user`/`http_auth_password` you configured (vendor-facts §3.6), so this compares the
 * `Authorization` header with them in constant time. Serve the endpoint over HTTPS only. Returns the user that
 * matched, or a {@link PipedriveWebhookError}; never throws.
 *
 * @example
 * const verified = verifyPipedriveWebhook({ headers: req.headers, username: "crmkit", password: process.env.PIPEDRIVE_HOOK_PASSWORD! });
 * if (verified.isErr()) return respond(401);
 * const event = parsePipedriveWebhook(rawBody);
 */
export function verifyPipedriveWebhook(
  input: VerifyPipedriveWebhookInput,
): Result<{ readonly username: string }, PipedriveWebhookError> {
  if (
    typeof input?.username !== "string" ||
    input.username === "" ||
    typeof input.password !== "string" ||
    input.password === ""
  )
    return err(
      new PipedriveWebhookError(
        "invalid_input",
        "verifyPipedriveWebhook: `username` and `password` must be non-empty strings",
      ),
    );
  if (input.username.includes(":"))
    return err(
      new PipedriveWebhookError(
        "invalid_input",
        "verifyPipedriveWebhook: a Basic-auth `username` cannot contain ':'",
      ),
    );
  const authorization = readHeader(input.headers ?? {}, "authorization")?.trim();
  const match = authorization === undefined ? null : /^basic\s+([A-Za-z0-9+/=_-]+)$/i.exec(authorization);
  if (match === null)
    return err(
      new PipedriveWebhookError("missing_credentials", "The request carries no Basic Authorization header"),
    );
  const expected = digest(`${input.username}:${input.password}`);
  const actual = digest(Buffer.from(match[1] as string, "base64").toString("utf8"));
  return safeEqual(expected, actual)
    ? ok({ username: input.username })
    : err(new PipedriveWebhookError("invalid_credentials", "The Basic-auth credentials do not match"));
}

export {
  type PipedriveWebhookAction,
  type PipedriveWebhookChangeEvent,
  type PipedriveWebhookCreateEvent,
  type PipedriveWebhookDeleteEvent,
  type PipedriveWebhookEntity,
  type PipedriveWebhookEvent,
  parsePipedriveWebhook,
} from "./webhook-events.js";
