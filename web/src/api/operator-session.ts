/**
 * An operator (reviewer or admin) signs in with their API key. It is kept in sessionStorage:
 * for this tab only, gone when the tab closes, never in a cookie the API would take for a
 * citizen's session.
 */
export type OperatorRole = "reviewer" | "admin";
export type OperatorSession = Readonly<{ key: string; role: OperatorRole; name: string }>;

const storageKey = "civic.operator";

export const operatorSession = {
  read(): OperatorSession | undefined {
    try {
      const stored = sessionStorage.getItem(storageKey);
      if (stored === null) return undefined;
      const parsed = JSON.parse(stored) as Partial<OperatorSession>;
      if (typeof parsed.key !== "string" || typeof parsed.name !== "string") return undefined;
      if (parsed.role !== "reviewer" && parsed.role !== "admin") return undefined;
      return { key: parsed.key, role: parsed.role, name: parsed.name };
    } catch {
      return undefined;
    }
  },
  write(session: OperatorSession): void {
    sessionStorage.setItem(storageKey, JSON.stringify(session));
  },
  clear(): void {
    sessionStorage.removeItem(storageKey);
  },
};
