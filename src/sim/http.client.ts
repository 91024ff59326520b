import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** How long one request may take before the simulator gives up on the server. */
export const requestTimeoutMilliseconds = 120_000;
/** Rate-limited (429) answers waited out per request before giving up. */
export const rateLimitWaitsMax = 100;

export type ApiResponse = Readonly<{ status: number; body: Record<string, unknown> }>;

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * A small JSON client for the Civic Credit API: bearer credentials, problem+json details in
 * errors, and a rate limit waited out as the server's Retry-After asks.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly onWait: (seconds: number, path: string) => void = () => undefined,
  ) {}

  async call(
    method: string,
    path: string,
    options: Readonly<{ key?: string; body?: unknown }> = {},
  ): Promise<ApiResponse> {
    for (let waits = 0; ; waits++) {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
          ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(requestTimeoutMilliseconds),
      });
      const text = await response.text();
      if (response.status === 429 && waits < rateLimitWaitsMax) {
        const seconds = Math.max(1, Number(response.headers.get("retry-after") ?? 1) || 1);
        this.onWait(seconds, path);
        await new Promise((resolve) => setTimeout(resolve, seconds * 1_000));
        continue;
      }
      const body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
      return { status: response.status, body };
    }
  }

  /** Calls and insists on `expected`; anything else is an error naming the server's detail. */
  async expect(
    expected: number,
    method: string,
    path: string,
    options: Readonly<{ key?: string; body?: unknown }> = {},
  ): Promise<Record<string, unknown>> {
    const response = await this.call(method, path, options);
    if (response.status !== expected) {
      const detail = String(response.body.detail ?? response.body.message ?? "");
      throw new ApiError(`${method} ${path}: ${response.status} ${detail}`.trim(), response.status);
    }
    return response.body;
  }

  /**
   * Sends a request and drops the connection as soon as it is sent, without reading the
   * answer: the sender crashed. The server may or may not have committed it.
   */
  sendAndDrop(path: string, key: string, body: unknown): Promise<void> {
    const url = new URL(`${this.baseUrl}${path}`);
    const payload = JSON.stringify(body);
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const outgoing = send(url, {
        method: "POST",
        agent: false,
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
        },
      });
      outgoing.on("error", () => resolve());
      outgoing.on("finish", () => {
        outgoing.destroy();
        resolve();
      });
      outgoing.end(payload);
    });
  }
}
