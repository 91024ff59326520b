import { type FormEvent, type ReactNode, useId, useState } from "react";
import { ProblemMessage } from "../ui/problem-message";

/** Runs a form's request; shows its problem or its success line. */
export function useSubmit() {
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<ReactNode>();
  const run = async (action: () => Promise<ReactNode>) => {
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await action());
    } catch (caught) {
      setError(caught);
    }
  };
  const feedback = (
    <>
      <ProblemMessage error={error} />
      {done ? (
        <div role="status" className="success">
          {done}
        </div>
      ) : null}
    </>
  );
  return { run, feedback };
}

/** An admin form: its fields, the request's feedback (see `useSubmit`), the submit button. */
export function ActionForm({
  heading,
  submitLabel,
  onSubmit,
  feedback,
  children,
}: Readonly<{
  /** Names the form for assistive technology; without one the section's heading serves. */
  heading?: string;
  submitLabel: string;
  onSubmit: () => void;
  feedback: ReactNode;
  children: ReactNode;
}>) {
  const headingId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form
      onSubmit={submit}
      className="form-grid"
      aria-labelledby={heading === undefined ? undefined : headingId}
    >
      {heading === undefined ? null : <h3 id={headingId}>{heading}</h3>}
      {children}
      {feedback}
      <button type="submit" className="button">
        {submitLabel}
      </button>
    </form>
  );
}
