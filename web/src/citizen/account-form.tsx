import { type FormEvent, type ReactNode, useId, useState } from "react";
import { useI18n } from "../i18n/i18n";
import { TextField } from "../ui/field";
import { ProblemMessage, problemIdFor } from "../ui/problem-message";

/** The `problemId` for the field the API names `name`: set while the problem is about it. */
export type ProblemIdOf = (name: string) => string | undefined;

/**
 * The frame of the forms that open a citizen's session (sign in, activate): the person's id,
 * the form's other fields, what went wrong, and the submit button. A rejected `onSubmit` shows
 * its problem, which the field it is about points at (`children` get `problemIdOf`); the
 * button is disabled while `busy`.
 */
export function AccountForm({
  subjectId,
  onSubjectIdChange,
  submitLabel,
  onSubmit,
  busy = false,
  children,
}: Readonly<{
  subjectId: string;
  onSubjectIdChange: (subjectId: string) => void;
  submitLabel: string;
  onSubmit: () => Promise<void>;
  busy?: boolean;
  children: (problemIdOf: ProblemIdOf) => ReactNode;
}>) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>();
  const problemId = useId();
  const problemIdOf: ProblemIdOf = (name) => problemIdFor(error, name, problemId);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await onSubmit();
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form className="card narrow" onSubmit={submit}>
      <TextField
        label={t("signIn.subjectId")}
        required
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        problemId={problemIdOf("subjectId")}
        value={subjectId}
        onChange={onSubjectIdChange}
      />
      {children(problemIdOf)}
      <ProblemMessage error={error} id={problemId} />
      <button type="submit" className="button" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
