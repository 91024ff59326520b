import { type InputHTMLAttributes, type ReactNode, useId } from "react";

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

type InputAttributes = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "value" | "onChange" | "aria-describedby"
>;

/** A labelled input (text, password...); `onChange` gets the new text. */
export function TextField({
  label,
  hint,
  value,
  onChange,
  ...attributes
}: Readonly<
  {
    label: string;
    hint?: string;
    value: string;
    onChange: (value: string) => void;
  } & InputAttributes
>) {
  return (
    <Field label={label} hint={hint}>
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
  value,
  options,
  optionLabel,
  onChange,
}: Readonly<{
  label: string;
  hint?: string;
  value: Option;
  options: readonly Option[];
  optionLabel: (option: Option) => string;
  onChange: (option: Option) => void;
}>) {
  return (
    <Field label={label} hint={hint}>
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
