import type { FastifyServerOptions } from "fastify";

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * pino options for the server: JSON lines on stdout, one per request (see `buildApp`). Headers
 * that carry keys, tokens or cookies are redacted wherever a request or reply is logged.
 */
export function serverLoggerOptions(level: LogLevel): FastifyServerOptions["logger"] {
  return {
    level,
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        'res.headers["set-cookie"]',
        "headers.authorization",
        "headers.cookie",
      ],
      censor: "[redacted]",
    },
  };
}
