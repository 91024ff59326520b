import { type FormEvent, useId, useState } from "react";
import { useI18n } from "../i18n/i18n";
import { ProblemMessage } from "../ui/problem-message";

/** The API's limit on a written reason. */
const reasonLengthMax = 2000;

type Choice<D extends string> = Readonly<{
  decision: D;
  label: string;
  tone: "primary" | "danger";
}>;

/**
 * A decision with its written reason (charter item 9: every change names who made it and why):
 * one button per choice, all needing the reason.
 */
export function DecisionForm<D extends string>({
  choices,
  reasonLabel,
  onDecide,
}: Readonly<{
  choices: readonly Choice<D>[];
  reasonLabel: string;
  onDecide: (decision: D, reason: string) => Promise<void>;
}>) {
  const { t } = useI18n();
  const id = useId();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const decision = choices.find((choice) => choice.decision === submitter?.value)?.decision;
    if (decision === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await onDecide(decision, reason.trim());
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  return (
    <form className="decision" onSubmit={submit}>
      <div className="field">
        <label htmlFor={id}>{reasonLabel}</label>
        <textarea
          id={id}
          required
          rows={2}
          maxLength={reasonLengthMax}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </div>
      <ProblemMessage error={error} />
      <div className="button-row">
        {choices.map((choice) => (
          <button
            key={choice.decision}
            type="submit"
            name="decision"
            value={choice.decision}
            className={`button ${choice.tone === "danger" ? "danger" : ""}`}
            disabled={busy}
          >
            {choice.label}
          </button>
        ))}
      </div>
      {busy ? (
        <p role="status" className="muted">
          {t("common.saving")}
        </p>
      ) : null}
    </form>
  );
}
