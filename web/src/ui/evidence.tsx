import { useI18n } from "../i18n/i18n";

export type Evidence = Readonly<{ description: string; reference?: string; url?: string }>;

/** An entry's evidence as its source gave it: what it says, its reference, a link to it. */
export function EvidenceText({ evidence }: Readonly<{ evidence: Evidence }>) {
  const { t } = useI18n();
  return (
    <>
      {evidence.description}
      {evidence.reference ? ` [${evidence.reference}]` : null}
      {evidence.url ? (
        <>
          {" "}
          <a href={evidence.url} rel="noreferrer noopener" target="_blank">
            {t("entry.evidenceLink")}
          </a>
        </>
      ) : null}
    </>
  );
}
