import type {
  AdapterCallContext,
  Transport,
  TransportRequest,
  TransportResponse,
} from "../../adapter/index.js";
import type { Clock } from "../../internal/clock.js";
import {
  type HubSpotApiVersion,
  type HubSpotOperation,
  type HubSpotRoute,
  type HubSpotRouteParams,
  hubSpotRoute,
} from "./paths.js";

/** What every HubSpot module shares: the transport, the clock, the account's time zone and the API version. */
export interface HubSpotClient {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly timeZone: string;
  /** The method and path of an operation in the adapter's API version. */
  route(operation: HubSpotOperation, params?: HubSpotRouteParams): HubSpotRoute;
  /** Sends one logical request; resolves the response or rejects with its `CrmError` (the SPI's contract). */
  send<T>(request: TransportRequest, ctx?: AdapterCallContext): Promise<TransportResponse<T>>;
}

/** Wraps a transport into a {@link HubSpotClient}. */
export function createHubSpotClient(
  transport: Transport,
  clock: Clock,
  timeZone: string,
  apiVersion: HubSpotApiVersion,
): HubSpotClient {
  return {
    transport,
    clock,
    timeZone,
    route: (operation, params) => hubSpotRoute(apiVersion, operation, params),
    async send<T>(request: TransportRequest, ctx?: AdapterCallContext) {
      const signal = request.signal ?? ctx?.signal;
      const result = await transport.request<T>(signal === undefined ? request : { ...request, signal });
      if (result.isErr()) throw result.error;
      return result.value;
    },
  };
}

/** A page of a HubSpot list response. */
export interface HubSpotPage<T> {
  readonly results?: readonly T[] | undefined;
  readonly paging?: { readonly next?: { readonly after?: string | undefined } | undefined } | undefined;
}

/** Reads every page of a cursor-paged GET. */
export async function readAllPages<T>(
  client: HubSpotClient,
  path: string,
  searchParams: Readonly<Record<string, string | number | boolean>>,
  ctx?: AdapterCallContext,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const response = await client.send<HubSpotPage<T>>(
      {
        method: "GET",
        path,
        searchParams: after === undefined ? searchParams : { ...searchParams, after },
      },
      ctx,
    );
    out.push(...(response.body?.results ?? []));
    after = response.body?.paging?.next?.after;
  } while (after !== undefined && after !== "");
  return out;
}
