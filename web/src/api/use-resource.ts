import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";

export type Resource<T> = Readonly<
  | { state: "loading"; data?: undefined; error?: undefined; reload: () => void }
  | { state: "ready"; data: T; error?: undefined; reload: () => void }
  | { state: "failed"; data?: undefined; error: unknown; reload: () => void }
>;

/**
 * Loads data for a page and reloads it on demand (after a change). An answer that arrives after
 * the page has moved on (newer dependencies, unmounted) is dropped.
 */
export function useResource<T>(load: () => Promise<T>, dependencies: DependencyList): Resource<T> {
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const [result, setResult] = useState<
    { state: "loading" } | { state: "ready"; data: T } | { state: "failed"; error: unknown }
  >({ state: "loading" });
  const loadRef = useRef(load);
  loadRef.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's dependencies decide
  useEffect(() => {
    let current = true;
    loadRef.current().then(
      (data) => current && setResult({ state: "ready", data }),
      (error: unknown) => current && setResult({ state: "failed", error }),
    );
    return () => {
      current = false;
    };
  }, [generation, ...dependencies]);
  return { ...result, reload } as Resource<T>;
}
