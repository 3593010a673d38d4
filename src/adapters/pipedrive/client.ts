import type {
  AdapterCallContext,
  Transport,
  TransportRequest,
  TransportResponse,
} from "../../adapter/index.js";
import type { Clock } from "../../internal/clock.js";
import { costOf } from "./costs.js";

/** Pipedrive's success envelope: `{ success, data, additional_data }`. */
export interface PipedriveEnvelope<T> {
  readonly success?: boolean | undefined;
  readonly data: T;
  readonly additional_data?:
    | {
        readonly next_cursor?: string | null | undefined;
        readonly pagination?:
          | { readonly more_items_in_collection?: boolean; readonly next_start?: number }
          | undefined;
      }
    | null
    | undefined;
}

/** What every Pipedrive module shares: the transport and the clock. */
export interface PipedriveClient {
  readonly transport: Transport;
  readonly clock: Clock;
  /**
   * Sends one logical request with its token cost (from the adapter's cost table) and the `search` limiter tag
   * for search endpoints; resolves the response or rejects with its `CrmError` (the SPI's contract).
   */
  send<T>(
    request: Omit<TransportRequest, "cost">,
    ctx?: AdapterCallContext,
  ): Promise<TransportResponse<PipedriveEnvelope<T>>>;
}

/** Wraps a transport into a {@link PipedriveClient}. */
export function createPipedriveClient(transport: Transport, clock: Clock): PipedriveClient {
  return {
    transport,
    clock,
    async send<T>(request: Omit<TransportRequest, "cost">, ctx?: AdapterCallContext) {
      const signal = request.signal ?? ctx?.signal;
      const search = /\/search$/.test(request.path);
      const full: TransportRequest = {
        ...request,
        cost: costOf(request.method, request.path),
        ...(search ? { tags: ["search"] } : {}),
        ...(signal === undefined ? {} : { signal }),
      };
      const result = await transport.request<PipedriveEnvelope<T>>(full);
      if (result.isErr()) throw result.error;
      return result.value;
    },
  };
}

/** Reads every page of a v2 cursor-paged GET (`limit` ≤ 500, `additional_data.next_cursor`). */
export async function readAllPages<T>(
  client: PipedriveClient,
  path: string,
  searchParams: Readonly<Record<string, string | number | boolean | undefined>>,
  ctx?: AdapterCallContext,
  max = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const response = await client.send<T[] | null>(
      {
        method: "GET",
        path,
        searchParams: cursor === undefined ? searchParams : { ...searchParams, cursor },
      },
      ctx,
    );
    out.push(...(response.body?.data ?? []));
    cursor = response.body?.additional_data?.next_cursor ?? undefined;
  } while (cursor !== undefined && cursor !== "" && out.length < max);
  return out;
}

/** Reads every page of a v1 offset-paged GET (`start`/`limit`, `more_items_in_collection`). */
export async function readAllOffsetPages<T>(
  client: PipedriveClient,
  path: string,
  searchParams: Readonly<Record<string, string | number | boolean | undefined>>,
  ctx?: AdapterCallContext,
): Promise<T[]> {
  const out: T[] = [];
  let start = 0;
  for (;;) {
    const response = await client.send<T[] | null>(
      { method: "GET", path, searchParams: { ...searchParams, start, limit: 500 } },
      ctx,
    );
    const page = response.body?.data ?? [];
    out.push(...page);
    const pagination = response.body?.additional_data?.pagination;
    if (pagination?.more_items_in_collection !== true || page.length === 0) return out;
    start = pagination.next_start ?? start + page.length;
  }
}
