import type { Schemas } from "../api/client";
import { ratings } from "../api/rating";
import { useFormats } from "../i18n/format";
import { useI18n } from "../i18n/i18n";
import { ScrollRegion } from "../ui/scroll-region";

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
      <dl className="tiles">
        <div>
          <dt>{t("console.whatif.up")}</dt>
          <dd>{format.number(report.moves.up)}</dd>
        </div>
        <div>
          <dt>{t("console.whatif.down")}</dt>
          <dd>{format.number(report.moves.down)}</dd>
        </div>
        <div>
          <dt>{t("console.whatif.unchanged")}</dt>
          <dd>{format.number(report.moves.unchanged)}</dd>
        </div>
      </dl>
      <h3>{t("console.whatif.matrix")}</h3>
      <ScrollRegion label={t("console.whatif.matrix")}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("console.whatif.nowDraft")}</th>
              {ratings.map((rating) => (
                <th key={rating} scope="col">
                  {rating}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </ScrollRegion>
      <h3>{t("console.whatif.rules")}</h3>
      <ScrollRegion label={t("console.whatif.rules")}>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("rules.type")}</th>
              <th scope="col">{t("console.whatif.points")}</th>
              <th scope="col">{t("console.whatif.events")}</th>
              <th scope="col">{t("console.whatif.subjectsChanged")}</th>
              <th scope="col">{t("console.whatif.up")}</th>
              <th scope="col">{t("console.whatif.down")}</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      </ScrollRegion>
      {report.mostAffected.length > 0 ? (
        <>
          <h3>{t("console.whatif.mostAffected")}</h3>
          <ScrollRegion label={t("console.whatif.mostAffected")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("console.entry.subject")}</th>
                  <th scope="col">{t("console.dashboard.region")}</th>
                  <th scope="col">{t("console.whatif.scores")}</th>
                  <th scope="col">{t("console.whatif.ratings")}</th>
                </tr>
              </thead>
              <tbody>
                {report.mostAffected.map((subject) => (
                  <tr key={subject.subjectId}>
                    <th scope="row">
                      <code>{subject.subjectId}</code>
                    </th>
                    <td>{subject.region}</td>
                    <td>
                      {subject.scoreNow} → {subject.scoreDraft} (
                      {format.points(subject.scoreChange)})
                    </td>
                    <td>
                      {subject.ratingNow} → {subject.ratingDraft}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </>
      ) : null}
    </section>
  );
}
