import type { Rating, RatingThresholds } from "../api/rating";
import { useI18n } from "../i18n/i18n";

/** The dial runs over this range of scores; beyond it the needle stops at the end. */
const dialScoreMin = 400;
const dialScoreMax = 1500;
const radius = 80;

/** Where a score sits on the half circle, as an angle from the left end (0) to the right (π). */
function angleOf(score: number): number {
  const clamped = Math.min(dialScoreMax, Math.max(dialScoreMin, score));
  return (Math.PI * (clamped - dialScoreMin)) / (dialScoreMax - dialScoreMin);
}

function pointAt(angle: number): { x: number; y: number } {
  return { x: 100 - radius * Math.cos(angle), y: 100 - radius * Math.sin(angle) };
}

/** A half-circle gauge: the rating's band coloured, the score and rating in words beneath. */
export function ScoreGauge({
  score,
  rating,
  thresholds,
}: Readonly<{ score: number; rating: Rating; thresholds?: RatingThresholds }>) {
  const { t } = useI18n();
  const end = pointAt(angleOf(score));
  const start = pointAt(0);
  const marks = thresholds ? Object.values(thresholds) : [];
  return (
    <div className="gauge">
      <svg viewBox="0 0 200 112" role="img" aria-label={t("home.gaugeLabel", { score, rating })}>
        <path
          d={`M ${start.x} ${start.y} A ${radius} ${radius} 0 0 1 ${200 - start.x} ${start.y}`}
          className="gauge-track"
        />
        <path
          d={`M ${start.x} ${start.y} A ${radius} ${radius} 0 0 1 ${end.x} ${end.y}`}
          className={`gauge-value rating-${rating}`}
        />
        {marks.map((mark) => {
          const inner = pointAt(angleOf(mark));
          const outer = {
            x: 100 - (radius + 12) * Math.cos(angleOf(mark)),
            y: 100 - (radius + 12) * Math.sin(angleOf(mark)),
          };
          return (
            <line
              key={mark}
              x1={inner.x}
              y1={inner.y}
              x2={outer.x}
              y2={outer.y}
              className="gauge-mark"
            />
          );
        })}
      </svg>
      <div className="gauge-text" aria-hidden="true">
        <span className={`gauge-rating rating-text-${rating}`}>{rating}</span>
        <span className="gauge-score">{score}</span>
      </div>
    </div>
  );
}
