/** A `fetch` that knows how many of its requests are still in flight. */
export interface CountingFetch {
  readonly fetch: typeof fetch;
  /** Requests sent whose response body has not been read in full yet. */
  readonly inFlight: number;
}

/**
 * Wraps the global `fetch` for tests and benchmarks that drive a fake clock against a real HTTP emulator: each
 * body is read before the response resolves, so "nothing in flight" means every response is in the caller's hands
 * and only timers can move the run on.
 */
export function createCountingFetch(): CountingFetch {
  let inFlight = 0;
  const counting: typeof fetch = async (input, init) => {
    inFlight++;
    try {
      const response = await fetch(input, init);
      const body = await response.arrayBuffer();
      return new Response(body.byteLength === 0 ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } finally {
      inFlight--;
    }
  };
  return {
    fetch: counting,
    get inFlight() {
      return inFlight;
    },
  };
}
