import type { ReactNode } from "react";
import { ScrollRegion } from "./scroll-region";

/** A table that scrolls inside the page: a header row naming the columns, then `children` rows. */
export function ScrollTable({
  label,
  columns,
  children,
}: Readonly<{ label: string; columns: readonly string[]; children: ReactNode }>) {
  return (
    <ScrollRegion label={label}>
      <table>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </ScrollRegion>
  );
}
