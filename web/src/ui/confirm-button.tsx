import { useEffect, useRef, useState } from "react";
import { useI18n } from "../i18n/i18n";

/**
 * A button for an act that cannot be undone (revoking): the first press asks "Revoke? Yes /
 * Cancel" in place, and only "Yes" acts. Inline rather than `window.confirm`, which screen
 * readers and headless browsers handle poorly; focus moves to the question and back.
 */
export function ConfirmButton({
  label,
  accessibleLabel,
  question,
  onConfirm,
}: Readonly<{
  /** The button's text: "Revoke". */
  label: string;
  /** What the button does, in full, for assistive technology: "Revoke key ab12". */
  accessibleLabel: string;
  /** Asked before acting: "Revoke the consent for city-bank, Credit?". */
  question: string;
  onConfirm: () => void;
}>) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (asked.current) openRef.current?.focus();
    asked.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button
        ref={openRef}
        type="button"
        className="button secondary small"
        aria-label={accessibleLabel}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <fieldset className="confirm">
      <legend>{question}</legend>
      <button
        ref={confirmRef}
        type="button"
        className="button danger small"
        onClick={() => {
          asked.current = false;
          setAsking(false);
          onConfirm();
        }}
      >
        {t("common.confirmYes")}
      </button>
      <button type="button" className="button secondary small" onClick={() => setAsking(false)}>
        {t("common.cancel")}
      </button>
    </fieldset>
  );
}
