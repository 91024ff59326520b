import { type ReactNode, useId } from "react";

/** A labelled form control with an optional hint, tied together for assistive technology. */
export function Field({
  label,
  hint,
  children,
}: Readonly<{
  label: string;
  hint?: string;
  children: (props: { id: string; "aria-describedby"?: string }) => ReactNode;
}>) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children(hint ? { id, "aria-describedby": hintId } : { id })}
    </div>
  );
}
