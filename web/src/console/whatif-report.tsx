import type { Schemas } from "../api/client";
import { ratings } from "../api/rating";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { ScrollTable } from "../ui/scroll-table";
import { Tiles } from "../ui/tiles";

export type WhatIfReport = Schemas["WhatIfReport"];

/**
 * What a draft rulebook would do to today's ratings (POST /v1/whatif): who moves up or down,
 * the ratings before and after, which rules push them, and the people most affected.
 */
export function WhatIfReportView({ report }: Readonly<{ report: WhatIfReport }>) {
  const { t } = useI18n();
  const format = useFormats();
  return (
    <section className="card whatif" aria-labelledby="whatif-heading">
      <h2 id="whatif-heading">
        {t("console.whatif.heading", { title: report.rulebooks.draft.title })}
      </h2>
      <p className="muted">
        {t("console.whatif.compared", {
          version: report.rulebooks.now.version,
          date: format.dateTime(report.at),
          subjects: format.number(report.subjects),
          events: format.number(report.events),
        })}
      </p>
      <Tiles
        tiles={[
          [t("console.whatif.up"), format.number(report.moves.up)],
          [t("console.whatif.down"), format.number(report.moves.down)],
          [t("console.whatif.unchanged"), format.number(report.moves.unchanged)],
        ]}
      />
      <h3>{t("console.whatif.matrix")}</h3>
      <ScrollTable
        label={t("console.whatif.matrix")}
        columns={[t("console.whatif.nowDraft"), ...ratings]}
      >
        {ratings.map((now) => (
          <tr key={now}>
            <th scope="row">{now}</th>
            {ratings.map((draft) => {
              const count = report.matrix[now][draft];
              const moved = count > 0 && now !== draft;
              return (
                <td key={draft} className={moved ? "moved" : undefined}>
                  {count}
                </td>
              );
            })}
          </tr>
        ))}
      </ScrollTable>
      <h3>{t("console.whatif.rules")}</h3>
      <ScrollTable
        label={t("console.whatif.rules")}
        columns={[
          t("rules.type"),
          t("console.whatif.points"),
          t("console.whatif.events"),
          t("console.whatif.subjectsChanged"),
          t("console.whatif.up"),
          t("console.whatif.down"),
        ]}
      >
        {report.rules
          .filter((rule) => rule.pointsNow !== rule.pointsDraft || rule.subjectsChanged > 0)
          .map((rule) => (
            <tr key={rule.type}>
              <th scope="row">
                <code>{rule.type}</code>
              </th>
              <td>
                {rule.pointsNow === null ? "—" : format.points(rule.pointsNow)} →{" "}
                {rule.pointsDraft === null ? "—" : format.points(rule.pointsDraft)}
              </td>
              <td>{format.number(rule.events)}</td>
              <td>{format.number(rule.subjectsChanged)}</td>
              <td>{format.number(rule.movedUp)}</td>
              <td>{format.number(rule.movedDown)}</td>
            </tr>
          ))}
      </ScrollTable>
      {report.mostAffected.length > 0 ? (
        <>
          <h3>{t("console.whatif.mostAffected")}</h3>
          <ScrollTable
            label={t("console.whatif.mostAffected")}
            columns={[
              t("console.entry.subject"),
              t("console.dashboard.region"),
              t("console.whatif.scores"),
              t("console.whatif.ratings"),
            ]}
          >
            {report.mostAffected.map((subject) => (
              <tr key={subject.subjectId}>
                <th scope="row">
                  <code>{subject.subjectId}</code>
                </th>
                <td>{subject.region}</td>
                <td>
                  {subject.scoreNow} → {subject.scoreDraft} ({format.points(subject.scoreChange)})
                </td>
                <td>
                  {subject.ratingNow} → {subject.ratingDraft}
                </td>
              </tr>
            ))}
          </ScrollTable>
        </>
      ) : null}
    </section>
  );
}
