/**
 * Which methods each registered path answers, so that a wrong method on a path that exists is
 * told apart from a path that does not: Fastify's router answers both with its not-found
 * handler, which then answers 405 with `Allow` or 404.
 */
export type RouteMethods = Readonly<{
  add(route: Readonly<{ method: string | readonly string[]; url: string }>): void;
  /** The methods some route answers at `path` (without its query), sorted; none: no such path. */
  allowedAt(path: string): readonly string[];
}>;

/** A route's path: static segments, `:name` parameters, and a trailing `*`. */
const parameterSegment = /^:[A-Za-z_][A-Za-z0-9_]*$/;

export function createRouteMethods(): RouteMethods {
  const routes: Array<Readonly<{ methods: readonly string[]; segments: readonly string[] }>> = [];
  return {
    add({ method, url }) {
      // The web app's catch-all answers GET anywhere: it says nothing about which paths exist.
      if (url === "/*") return;
      const segments = url.split("/");
      segments.forEach((segment, index) => {
        const wildcard = segment === "*" && index === segments.length - 1;
        const plain = !segment.includes(":") && !segment.includes("*");
        if (!wildcard && !plain && !parameterSegment.test(segment)) {
          throw new Error(`${url}: route-methods matches only :name segments and a trailing *`);
        }
      });
      routes.push({ methods: [method].flat(), segments });
    },
    allowedAt(path) {
      const segments = path.split("/");
      const allowed = new Set<string>();
      for (const route of routes) {
        if (!matches(route.segments, segments)) continue;
        for (const method of route.methods) allowed.add(method);
      }
      return [...allowed].sort();
    },
  };
}

function matches(pattern: readonly string[], path: readonly string[]): boolean {
  for (const [index, part] of pattern.entries()) {
    if (part === "*" && index === pattern.length - 1) return path.length >= pattern.length;
    const segment = path[index];
    if (segment === undefined) return false;
    if (part.startsWith(":") ? segment === "" : part !== segment) return false;
  }
  return pattern.length === path.length;
}
