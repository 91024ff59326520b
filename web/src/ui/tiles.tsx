/** A row of headline figures, each a label over its value. */
export function Tiles({ tiles }: Readonly<{ tiles: ReadonlyArray<readonly [string, string]> }>) {
  return (
    <dl className="tiles">
      {tiles.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
