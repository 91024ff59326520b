/** Line icons for the navigation, drawn in currentColor; decorative (the label says it all). */
const paths = {
  score: "M4 17a8 8 0 1 1 16 0M12 17l4-6",
  history: "M5 6h14M5 12h14M5 18h9",
  eye: "M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12Zm10 3a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z",
  gift: "M4 11h16v9H4zM3 7h18v4H3zM12 7v13M12 7s-1-4-4-4-2 4 4 4Zm0 0s1-4 4-4 2 4-4 4Z",
  more: "M5 12h.01M12 12h.01M19 12h.01",
  check: "M4 12l5 5L20 6",
  bell: "M6 16V11a6 6 0 1 1 12 0v5l2 2H4zM10 20h4",
  book: "M5 4h10a4 4 0 0 1 4 4v12H9a4 4 0 0 1-4-4zM5 16a4 4 0 0 1 4-4h10",
  key: "M14 10a4 4 0 1 0-3.5 4L4 20v-3h3v-3h3",
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name }: Readonly<{ name: IconName }>) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="24"
      height="24"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth={name === "more" ? 3 : 2}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={paths[name]} />
    </svg>
  );
}
