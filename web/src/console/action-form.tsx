import { type FormEvent, Fragment, type ReactNode, useId, useState } from "react";
import { type ProblemFields, ProblemMessage, problemIdFor } from "../ui/problem-message";

/** What a request did: its success line, what the person should know, and how long it shows. */
export type Outcome = Readonly<{
  /** The success line; none when the request changed nothing (only warnings). */
  done?: ReactNode;
  /** Done, but not quite as asked: shown apart from the success, in the warning style. */
  warnings?: readonly ReactNode[];
  /** Kept when the form is edited: it holds a secret shown only once (a key, a code). */
  lasting?: boolean;
}>;

/**
 * Runs a form's request; shows its problem (naming the field by its label, see `fields`), or its
 * success and warnings. Editing the form (`edited`) clears what no longer describes it.
 */
export function useSubmit(fields?: ProblemFields) {
  const [error, setError] = useState<unknown>();
  const problemId = useId();
  const [outcome, setOutcome] = useState<Outcome>();
  const run = async (action: () => Promise<Outcome>) => {
    setError(undefined);
    setOutcome(undefined);
    try {
      setOutcome(await action());
    } catch (caught) {
      setError(caught);
    }
  };
  const edited = () => {
    setError(undefined);
    setOutcome((shown) => (shown?.lasting ? shown : undefined));
  };
  const warnings = outcome?.warnings ?? [];
  const feedback = (
    <>
      <ProblemMessage error={error} fields={fields} id={problemId} />
      {outcome && (outcome.done || warnings.length > 0) ? (
        <div role="status" className="outcome">
          {outcome.done ? <div className="success">{outcome.done}</div> : null}
          {warnings.length > 0 ? (
            <div className="warning">
              {warnings.map((warning, index) => (
                // The warnings are fixed once shown: their order is their identity.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <Fragment key={index}>
                  {typeof warning === "string" ? <p>{warning}</p> : warning}
                </Fragment>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
    </>
  );
  /** The `problemId` of the field the API names `name`: set while the problem is about it. */
  const problemIdOf = (name: string) => problemIdFor(error, name, problemId);
  return { run, feedback, edited, problemIdOf };
}

/** An admin form: its fields, the request's feedback (see `useSubmit`), the submit button. */
export function ActionForm({
  heading,
  submitLabel,
  onSubmit,
  onEdit,
  feedback,
  children,
}: Readonly<{
  /** Names the form for assistive technology; without one the section's heading serves. */
  heading?: string;
  submitLabel: string;
  onSubmit: () => void;
  /** Called when any of the form's fields changes (`useSubmit`'s `edited`). */
  onEdit?: () => void;
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
      onChange={onEdit}
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
