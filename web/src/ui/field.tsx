import { type InputHTMLAttributes, type ReactNode, useId } from "react";

/** What `Field` gives its control: the id its label names, and what describes it. */
export type ControlProps = { id: string; "aria-describedby"?: string; "aria-invalid"?: true };

/**
 * A labelled form control with an optional hint, tied together for assistive technology. With
 * `problemId` (the id of the rendered problem that is about this field, see `problemIdFor`) the
 * control is invalid and described by that problem too.
 */
export function Field({
  label,
  hint,
  problemId,
  children,
}: Readonly<{
  label: string;
  hint?: string;
  problemId?: string;
  children: (props: ControlProps) => ReactNode;
}>) {
  const id = useId();
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : undefined, problemId].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children({
        id,
        ...(describedBy === "" ? {} : { "aria-describedby": describedBy }),
        ...(problemId === undefined ? {} : { "aria-invalid": true }),
      })}
    </div>
  );
}

type InputAttributes = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "value" | "onChange" | "aria-describedby"
>;

/** A labelled input (text, password...); `onChange` gets the new text. */
export function TextField({
  label,
  hint,
  problemId,
  value,
  onChange,
  ...attributes
}: Readonly<
  {
    label: string;
    hint?: string;
    problemId?: string;
    value: string;
    onChange: (value: string) => void;
  } & InputAttributes
>) {
  return (
    <Field label={label} hint={hint} problemId={problemId}>
      {(props) => (
        <input
          {...attributes}
          {...props}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </Field>
  );
}

/** A labelled choice of one of `options`, each shown as `optionLabel` says. */
export function SelectField<Option extends string>({
  label,
  hint,
  problemId,
  value,
  options,
  optionLabel,
  onChange,
}: Readonly<{
  label: string;
  hint?: string;
  problemId?: string;
  value: Option;
  options: readonly Option[];
  optionLabel: (option: Option) => string;
  onChange: (option: Option) => void;
}>) {
  return (
    <Field label={label} hint={hint} problemId={problemId}>
      {(props) => (
        <select
          {...props}
          value={value}
          onChange={(event) => onChange(event.target.value as Option)}
        >
          {options.map((option) => (
            <option key={option} value={option}>
              {optionLabel(option)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
