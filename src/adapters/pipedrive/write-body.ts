import type { CrmPipeline, CrmValue } from "../../adapter/index.js";
import { CrmError } from "../../errors/index.js";
import type { PreparedWrite } from "./fields.js";
import type { PipedriveObjectType } from "./mapping.js";
import { normalizeWebsite, parseStatusStage, toDue, withPrimary } from "./values.js";

// How canonical properties become a Pipedrive v2 request body: names, email and phone lists, website, deal value,
// pipeline and stage by id or label, activity due date and time.

/** What {@link toPipedriveBody} reads besides the properties. */
export interface BodyContext {
  /** The account's deal pipelines (cached by the adapter's metadata). */
  readonly pipelines: () => Promise<readonly CrmPipeline[]>;
  /** Activity type of a new task. */
  readonly taskType: string;
}

/** A `CrmError` naming the field a value does not fit. */
export const invalid = (
  reason: "invalid_enum" | "validation_failed",
  field: string,
  message: string,
): CrmError => new CrmError({ reason, provider: "pipedrive", message, fields: [field] });

export const numericId = (field: string, value: CrmValue): number => {
  const n = typeof value === "number" ? value : Number(String(value ?? "").trim());
  if (!Number.isSafeInteger(n) || n <= 0)
    throw invalid(
      "validation_failed",
      field,
      `${field} must be a Pipedrive id, got ${JSON.stringify(value)}`,
    );
  return n;
};

/** Resolves a deal's pipeline and stage (ids or labels; synthetic won/lost stages become `status`). */
function dealStage(
  body: Record<string, unknown>,
  standard: Record<string, CrmValue>,
  pipelines: readonly CrmPipeline[],
): void {
  const byIdOrLabel = <T extends { id: string; label: string }>(items: readonly T[], value: CrmValue) =>
    items.find((i) => i.id === String(value)) ??
    items.find((i) => i.label.toLowerCase() === String(value).toLowerCase());
  let pipeline: CrmPipeline | undefined;
  if (standard["pipeline_id"] !== undefined && standard["pipeline_id"] !== null) {
    pipeline = byIdOrLabel(pipelines, standard["pipeline_id"]);
    if (pipeline === undefined)
      throw invalid(
        "invalid_enum",
        "pipeline_id",
        `Pipedrive has no pipeline ${JSON.stringify(standard["pipeline_id"])}`,
      );
    body["pipeline_id"] = Number(pipeline.id);
  }
  const stageValue = standard["stage_id"];
  if (stageValue === undefined || stageValue === null) return;
  const matches = (pipeline === undefined ? pipelines : [pipeline]).flatMap((p) => {
    const stage = byIdOrLabel(p.stages, stageValue);
    return stage === undefined ? [] : [{ pipeline: p, stage }];
  });
  const match = matches.length === 1 ? matches[0] : undefined;
  if (match === undefined)
    throw invalid(
      "invalid_enum",
      "stage_id",
      `Pipedrive has ${matches.length === 0 ? "no" : "more than one"} stage ${JSON.stringify(stageValue)}${pipeline === undefined ? "" : ` in pipeline "${pipeline.label}"`}`,
    );
  const status = parseStatusStage(match.stage.id);
  body["pipeline_id"] = Number(match.pipeline.id);
  if (status === undefined) body["stage_id"] = Number(match.stage.id);
  else body["status"] = status.status;
}

/**
 * Canonical properties → a v2 body. `current` is the stored record, for fields Pipedrive keeps as one value
 * (a person's `name`) or as a list (`emails`, `phones`).
 */
export async function toPipedriveBody(
  type: PipedriveObjectType,
  prepared: PreparedWrite,
  current: Record<string, unknown> | undefined,
  context: BodyContext,
): Promise<Record<string, unknown>> {
  const { standard } = prepared;
  const body: Record<string, unknown> = { ...prepared.top };
  const has = (key: string) => standard[key] !== undefined;
  const text = (key: string) => (standard[key] === null ? null : String(standard[key]));
  if (has("owner_id"))
    body["owner_id"] =
      standard["owner_id"] === null ? null : numericId("owner_id", standard["owner_id"] as CrmValue);
  switch (type) {
    case "contact": {
      if (has("first_name") || has("last_name") || current === undefined) {
        const first = has("first_name")
          ? text("first_name")
          : (current?.["first_name"] as string | null | undefined);
        const last = has("last_name")
          ? text("last_name")
          : (current?.["last_name"] as string | null | undefined);
        const name = [first, last].filter((part) => typeof part === "string" && part.trim() !== "").join(" ");
        // Pipedrive requires a name; a lead with only an email is named by it, as Pipedrive's own forms do.
        const fallback =
          typeof standard["email"] === "string" ? standard["email"].trim().toLowerCase() : undefined;
        if (name !== "" || current === undefined) body["name"] = name || fallback || "Unknown";
      }
      if (typeof standard["email"] === "string")
        body["emails"] = withPrimary(
          current?.["emails"],
          standard["email"].trim().toLowerCase(),
          (a, b) => a.toLowerCase() === b.toLowerCase(),
        );
      if (typeof standard["phone"] === "string")
        body["phones"] = withPrimary(current?.["phones"], standard["phone"]);
      if (has("job_title")) body["job_title"] = text("job_title");
      break;
    }
    case "company": {
      if (has("name")) body["name"] = text("name");
      if (typeof standard["domain"] === "string") {
        const domain = normalizeWebsite(standard["domain"]);
        if (domain !== undefined) body["website"] = `https://${domain}`;
      }
      if (current === undefined && body["name"] === undefined)
        body["name"] = normalizeWebsite(standard["domain"]) ?? "Unknown";
      break;
    }
    case "deal": {
      if (has("name")) body["title"] = text("name");
      if (has("amount")) body["value"] = standard["amount"] === null ? null : Number(standard["amount"]);
      if (has("currency")) body["currency"] = text("currency");
      if (has("close_date"))
        body["expected_close_date"] =
          standard["close_date"] === null ? null : String(standard["close_date"]).slice(0, 10);
      if (has("status")) body["status"] = text("status");
      if (has("pipeline_id") || has("stage_id")) dealStage(body, standard, await context.pipelines());
      if (current === undefined && body["title"] === undefined) body["title"] = "Deal";
      break;
    }
    case "task":
      if (has("subject")) body["subject"] = text("subject");
      if (has("body")) body["note"] = text("body");
      if (typeof standard["due_at"] === "string") Object.assign(body, toDue(standard["due_at"]));
      if (has("done")) body["done"] = standard["done"] === true || standard["done"] === "true";
      if (has("type")) body["type"] = text("type");
      if (current === undefined) body["type"] ??= context.taskType;
      break;
    case "note":
      if (has("body")) body["content"] = text("body");
      break;
  }
  if (Object.keys(prepared.custom).length > 0) body["custom_fields"] = prepared.custom;
  return body;
}
