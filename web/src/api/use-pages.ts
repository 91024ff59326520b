import { type DependencyList, useCallback, useRef, useState } from "react";
import { type Resource, useResource } from "./use-resource";

/** One page of a list the API pages by cursor: `next` is the `after` of the page that follows. */
export type PageAnswer<Item> = Readonly<{ items: Item[]; next?: string | undefined }>;

/** Loading the pages after the first, one at a time, on demand. */
export type OlderPages = Readonly<{
  /** There is a page after those shown. */
  available: boolean;
  busy: boolean;
  /** Why the last try failed; undefined while trying again and once a page arrives. */
  error: unknown;
  show: () => void;
  /** Where the page shown last starts among the items: the item that takes focus. */
  startIndex: number | undefined;
}>;

type Older<Item> = Readonly<{
  /** The first page these follow: when it is reloaded, they are dropped, and so is an answer. */
  after: PageAnswer<Item>;
  items: Item[];
  next: string | undefined;
  startIndex: number | undefined;
  busy: boolean;
  error: unknown;
}>;

/**
 * A list read page by page from its newest: the first page as a resource, then the older ones
 * appended as they are asked for (`older.show`), until the API answers no `next`.
 */
export function usePages<Item>(
  loadPage: (after: string | undefined) => Promise<PageAnswer<Item>>,
  dependencies: DependencyList,
): Readonly<{ resource: Resource<Item[]>; older: OlderPages }> {
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  const first = useResource(() => loadRef.current(undefined), dependencies);
  const [older, setOlder] = useState<Older<Item>>();
  const firstPage = first.data;
  const current = firstPage !== undefined && older?.after === firstPage ? older : undefined;
  const next = current ? current.next : firstPage?.next;

  const show = useCallback(() => {
    if (firstPage === undefined || next === undefined || current?.busy) return;
    const shown = firstPage.items.length + (current?.items.length ?? 0);
    const base: Older<Item> = current ?? {
      after: firstPage,
      items: [],
      next,
      startIndex: undefined,
      busy: false,
      error: undefined,
    };
    setOlder({ ...base, busy: true, error: undefined });
    const settle = (change: Partial<Older<Item>>) =>
      setOlder((previous) =>
        previous?.after === firstPage ? { ...previous, ...change, busy: false } : previous,
      );
    loadRef.current(next).then(
      (page) =>
        settle({
          items: [...base.items, ...page.items],
          next: page.next,
          startIndex: page.items.length > 0 ? shown : undefined,
        }),
      (error: unknown) => settle({ error }),
    );
  }, [firstPage, next, current]);

  const resource: Resource<Item[]> =
    first.state === "ready"
      ? { ...first, data: [...first.data.items, ...(current?.items ?? [])] }
      : first;
  return {
    resource,
    older: {
      available: next !== undefined,
      busy: current?.busy ?? false,
      error: current?.error,
      show,
      startIndex: current?.startIndex,
    },
  };
}
