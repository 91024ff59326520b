export const sourceKinds = ["agency", "partner", "camera"] as const;
export type SourceKind = (typeof sourceKinds)[number];

/** A reporting source and the event types it is authorised for, as glob patterns. */
export type SourceProfile = Readonly<{
  id: number;
  name: string;
  kind: SourceKind;
  allowedTypes: readonly string[];
}>;

/**
 * `traffic.*` matches `traffic.red_light`; `*` matches any type; no other wildcard exists, so a
 * `*` is only allowed alone or as the last part (`traffic.*.x` would silently match nothing).
 */
export const typePatternRegex = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

export function typeMatches(pattern: string, type: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export function sourceMayReport(source: SourceProfile, type: string): boolean {
  return source.allowedTypes.some((pattern) => typeMatches(pattern, type));
}
