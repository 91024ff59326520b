/**
 * The part of autocannon 8 the HTTP benchmarks use. autocannon ships no types, and
 * @types/autocannon describes version 7; these few fields are all the benchmarks read.
 */
declare module "autocannon" {
  export type Request = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Called before each request this entry sends; answers the request to send. */
    setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  };

  export type Options = {
    url: string;
    connections?: number;
    pipelining?: number;
    /** Seconds; ignored when `amount` is set. */
    duration?: number;
    /** Requests in all, spread over the connections. */
    amount?: number;
    /** Seconds a request may wait for its response. */
    timeout?: number;
    method?: string;
    headers?: Record<string, string>;
    requests?: Request[];
  };

  /** Latency percentiles in milliseconds; `pNN` keys for 1, 2.5, 10, 50, 90, 97.5, 99, 99.9. */
  export type Histogram = Readonly<{
    average: number;
    mean: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
  }>;

  export type Result = Readonly<{
    /** Seconds. */
    duration: number;
    errors: number;
    timeouts: number;
    resets: number;
    non2xx: number;
    "2xx": number;
    statusCodeStats: Readonly<Record<string, { count: number }>>;
    latency: Histogram;
    requests: Histogram & Readonly<{ total: number; sent: number }>;
  }>;

  /** A run: awaited for its result; `response` fires once per answer, latency in milliseconds. */
  export type Instance = PromiseLike<Result> & {
    on(
      event: "response",
      listener: (client: unknown, status: number, bytes: number, milliseconds: number) => void,
    ): Instance;
  };

  function autocannon(options: Options): Instance;
  export default autocannon;
}
