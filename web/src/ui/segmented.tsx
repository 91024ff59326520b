import { useId } from "react";

/** A choice of one of a few options as a row of joined buttons (radio buttons underneath). */
export function Segmented<Option extends string | number>({
  legend,
  value,
  options,
  optionLabel,
  onChange,
}: Readonly<{
  /** Names the group for screen readers; the options speak for themselves on screen. */
  legend: string;
  value: Option;
  options: readonly Option[];
  optionLabel: (option: Option) => string;
  onChange: (option: Option) => void;
}>) {
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend className="visually-hidden">{legend}</legend>
      {options.map((option) => (
        <label key={option}>
          <input
            type="radio"
            name={name}
            value={option}
            checked={value === option}
            onChange={() => onChange(option)}
          />
          <span>{optionLabel(option)}</span>
        </label>
      ))}
    </fieldset>
  );
}
