export type TableOptions = Readonly<{ alignRight?: readonly number[] }>;

/** Text columns padded to their widest cell, two spaces apart, with a header row. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  { alignRight = [] }: TableOptions = {},
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const render = (cells: readonly string[]) =>
    headers
      .map((_, column) => {
        const cell = cells[column] ?? "";
        const width = widths[column] ?? 0;
        return alignRight.includes(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return `${[render(headers), ...rows.map(render)].join("\n")}\n`;
}

/** Cuts text to `lengthMax` characters, marking the cut, and flattens line breaks. */
export function truncate(text: string, lengthMax: number): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length <= lengthMax ? flat : `${flat.slice(0, lengthMax - 1)}…`;
}

export function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}
