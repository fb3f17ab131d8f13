import { FACTOR_VALUE, type ScoreFactor } from '../leads/scoring.ts';
import type { Templates } from './render.ts';

/** One factor of a score as a person reads it, every part in the reader's language. */
export type FactorLine = {
  factor: string;
  value: string;
  points: string;
  pointsCounted: string;
  why: string;
};

const labelOf = (labels: Readonly<Record<string, string>>, value: string) => labels[value] ?? value;

function valuesOf(value: string): string[] {
  return value === FACTOR_VALUE.none || value === FACTOR_VALUE.notGiven
    ? []
    : value.split(FACTOR_VALUE.separator);
}

/** The stored value (English enum values, as scoring keeps them) in the reader's words; an unknown one as stored. */
function readableValue(t: Templates, factor: ScoreFactor): string {
  const { labels, common } = t.catalog;
  const values = valuesOf(factor.value);
  switch (factor.factor) {
    case 'sizeBand':
      return values.length ? labelOf(labels.sizeBand, factor.value) : common.notGiven;
    case 'industry':
      return values.length ? labelOf(labels.industry, factor.value) : common.notGiven;
    case 'region':
      return factor.value;
    case 'channel':
      return labelOf(labels.channel, factor.value);
    case 'products':
      return t.list(values.map((v) => labelOf(labels.product, v)));
    case 'completeness':
      return t.list(values.map((v) => labelOf(labels.completenessItem, v)));
  }
}

/**
 * Renders a factor from its name, value, weight and fraction: the stored English explanation is for the
 * record. `listedRegions` are the regions the score's configuration names, when it is the one in force.
 */
export function factorLine(
  t: Templates,
  factor: ScoreFactor,
  listedRegions?: ReadonlySet<string>,
): FactorLine {
  const { score } = t.catalog.managerEmail;
  const unlisted = factor.factor === 'region' && listedRegions && !listedRegions.has(factor.value);
  return {
    factor: t.catalog.labels.scoringFactor[factor.factor],
    value: readableValue(t, factor),
    points: t.number(factor.points),
    pointsCounted: t.count(score.pointsCount, factor.points),
    why: t.text(unlisted ? score.unlistedRegion : score.share, {
      fraction: factor.fraction,
      weight: factor.weight,
    }),
  };
}
