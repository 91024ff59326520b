import type { ReactNode } from "react";
import type { Resource } from "../api/use-resource";
import { Loaded } from "../ui/loaded";
import { ScrollTable } from "../ui/scroll-table";

/**
 * A register the console keeps (sources, partners, keys): a card headed by `title`, the table of
 * what it holds once loaded, then `children` (the form that adds to it).
 */
export function RegisterSection<Data>({
  name,
  title,
  resource,
  columns,
  rows,
  children,
}: Readonly<{
  /** Makes the heading's id, `${name}-heading`, which names the section. */
  name: string;
  /** The section's heading, and the name of its table for assistive technology. */
  title: string;
  resource: Resource<Data>;
  columns: readonly string[];
  rows: (data: Data) => ReactNode;
  children: ReactNode;
}>) {
  const headingId = `${name}-heading`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <Loaded resource={resource}>
        {(data) => (
          <ScrollTable label={title} columns={columns}>
            {rows(data)}
          </ScrollTable>
        )}
      </Loaded>
      {children}
    </section>
  );
}
