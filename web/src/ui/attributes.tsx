import type { Schemas } from "../api/client";
import { useI18n } from "../i18n/i18n";

export type Attributes = Schemas["ConductAttributes"];

/**
 * "speed_kmh" → "speed kmh". A source names its attributes freely, so the app shows the name
 * readable rather than claim a translation it does not have.
 */
export function attributeNameText(name: string): string {
  return name.replace(/_/g, " ");
}

/** True when the source reported at least one attribute: an empty map shows nothing. */
export function hasAttributes(attributes: Attributes | undefined): attributes is Attributes {
  return attributes !== undefined && Object.keys(attributes).length > 0;
}

/** The facts a source reported about the conduct, as "name: value" lines, values as given. */
export function AttributeList({ attributes }: Readonly<{ attributes: Attributes }>) {
  const { t } = useI18n();
  const valueText = (value: string | number | boolean): string =>
    typeof value === "boolean"
      ? t(value ? "entry.attributeYes" : "entry.attributeNo")
      : String(value);
  return (
    <dl className="attribute-list">
      {Object.entries(attributes).map(([name, value]) => (
        <div key={name}>
          <dt>{attributeNameText(name)}</dt>
          <dd>{valueText(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
