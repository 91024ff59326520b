import type { FastifyServerOptions } from "fastify";
import { destination } from "pino";

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * pino options for the server: JSON lines on stdout, one per request (see `buildApp`). Headers
 * that carry keys, tokens or cookies are redacted wherever a request or reply is logged.
 * Lines are written asynchronously: under load the lines of many requests leave in one write,
 * not one system call each; pino writes what is left synchronously when the process exits.
 */
export function serverLoggerOptions(level: LogLevel): FastifyServerOptions["logger"] {
  return {
    level,
    stream: destination({ dest: 1, sync: false }),
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
