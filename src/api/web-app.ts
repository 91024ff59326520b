import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { ApiError } from "./errors.js";

/**
 * Paths the web app never answers, so a client route can never shadow the API, its docs or the
 * operations endpoints: an unknown /v1/... stays a problem+json 404.
 */
export const reservedPathPrefixes = ["/v1", "/docs", "/metrics", "/healthz", "/readyz"] as const;

/** Vite names the files under /assets by their content hash: they never change. */
const assetMaxAgeMilliseconds = 365 * 24 * 60 * 60 * 1000;

/**
 * Serves the built web app (citizen app and operator console) from `root`: its files, and
 * `index.html` for every other GET outside the reserved prefixes (client routes such as
 * /history or /console/reviews), so that a reload or a shared link opens the right page.
 */
export async function registerWebApp(app: FastifyInstance, root: string): Promise<void> {
  // Only `reply.sendFile`: the one route below decides what is a file and what is a page.
  // Cache-Control is set per file below, and only once a file is found: a 404 is never cached.
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false });

  app.get("/*", { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    // The API's own answer: 405 with `Allow` for a path that answers other methods, else 404.
    if (isReserved(path)) return reply.callNotFound();
    const notFound = new ApiError("not_found", `no route ${request.method} ${path}`);
    const segments = path.split("/");
    // Dot files and dot folders (vite's .vite/manifest.json) are never served, nor is `..`.
    if (segments.some((segment) => /^(\.|%2e)/i.test(segment))) {
      throw notFound;
    }
    const lastSegment = segments.at(-1) ?? "";
    // A name with an extension is a file (missing: 404); anything else is a client route.
    if (!lastSegment.includes(".")) return sendIndex(reply, root);
    // Hashed assets are kept for good; the service worker, manifest and icons revalidate.
    const hashed = segments[1] === "assets";
    return reply.sendFile(path.slice(1), {
      cacheControl: true,
      maxAge: hashed ? assetMaxAgeMilliseconds : 0,
      immutable: hashed,
    });
  });
}

function isReserved(path: string): boolean {
  return reservedPathPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

function sendIndex(reply: FastifyReply, root: string): FastifyReply {
  if (!existsSync(join(root, "index.html"))) {
    throw new ApiError("not_ready", "the web app has not been built: run `npm run build`");
  }
  return reply.header("cache-control", "no-cache").sendFile("index.html");
}
