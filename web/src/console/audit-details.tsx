import { useI18n } from "../i18n/i18n";

/** "allowedTypes" → "Allowed types": the API's field names, readable. */
function keyText(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The details of an audit line as "Key: value" pairs, not JSON; yes/no for flags. */
export function AuditDetails({ details }: Readonly<{ details: unknown }>) {
  const { t, label } = useI18n();
  if (details === null || typeof details !== "object") {
    return details === undefined ? null : String(details);
  }
  const valueText = (value: unknown): string => {
    if (typeof value === "boolean") return t(value ? "console.audit.yes" : "console.audit.no");
    if (Array.isArray(value)) return value.length === 0 ? "—" : value.map(valueText).join(", ");
    if (value !== null && typeof value === "object") return JSON.stringify(value);
    return String(value);
  };
  // A role or a kind is a code with a label; a source's kind first, else a partner's.
  const codeText = (key: string, value: string): string => {
    if (key === "role") return label("role", value);
    if (key !== "kind") return value;
    const asSource = label("sourceKind", value);
    return asSource === value ? label("partnerKind", value) : asSource;
  };
  const pairs = Object.entries(details);
  if (pairs.length === 0) return null;
  return (
    <dl className="audit-details">
      {pairs.map(([key, value]) => (
        <div key={key}>
          <dt>{keyText(key)}</dt>
          <dd>{typeof value === "string" ? codeText(key, value) : valueText(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
