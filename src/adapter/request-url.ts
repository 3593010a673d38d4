import type { SearchParams, TransportRequest } from "./transport-types.js";

/** Joins `path` onto `base` (or takes an absolute `path`) and appends the query parameters. */
export function buildUrl(base: string, path: string, params: SearchParams | undefined): URL {
  const url = /^https?:\/\//i.test(path)
    ? new URL(path)
    : new URL(`${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`);
  if (params instanceof URLSearchParams) {
    for (const [key, value] of params) url.searchParams.append(key, value);
  } else if (params !== undefined) {
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
  }
  return url;
}

/** Encodes a form body. */
export function toForm(form: NonNullable<TransportRequest["form"]>): URLSearchParams {
  if (form instanceof URLSearchParams) return form;
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) if (value !== undefined) out.append(key, String(value));
  return out;
}
