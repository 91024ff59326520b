import { type FormEvent, type ReactNode, useState } from "react";
import { useI18n } from "../i18n/i18n";
import { TextField } from "../ui/field";
import { ProblemMessage } from "../ui/problem-message";

/**
 * The frame of the forms that open a citizen's session (sign in, activate): the person's id,
 * the form's other fields, what went wrong, and the submit button. A rejected `onSubmit` shows
 * its problem; the button is disabled while `busy`.
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
  children: ReactNode;
}>) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>();
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
        value={subjectId}
        onChange={onSubjectIdChange}
      />
      {children}
      <ProblemMessage error={error} />
      <button type="submit" className="button" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
