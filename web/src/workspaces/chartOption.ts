/**
 * From a result to an ECharts option: bar and line (sum of y by x), histogram (counts of x in
 * equal bins), scatter (x against y). Pure, so it is tested without a browser; the chart
 * component (lazy, with ECharts) only draws what this returns.
 */
import type { EChartsOption } from 'echarts';
import { toNumber } from './format.ts';
import type { ResultColumn } from './types.ts';

export const chartKinds = ['bar', 'line', 'histogram', 'scatter'] as const;
export type ChartKind = (typeof chartKinds)[number];

export interface ChartChoice {
  kind: ChartKind;
  x: string;
  /** Ignored by the histogram. */
  y: string;
  bins?: number;
}

export interface ChartSpec {
  option: EChartsOption;
  /** Points drawn (bars, bins or dots). */
  points: number;
  /** Rows left out because a needed value was missing or not a number. */
  skipped: number;
}

/** The DSFR's blue France, the main colour of the charts. */
const colour = '#000091';

export function chartOption(columns: readonly ResultColumn[], rows: readonly (readonly unknown[])[], choice: ChartChoice): ChartSpec {
  const xi = columns.findIndex((c) => c.name === choice.x);
  const yi = columns.findIndex((c) => c.name === choice.y);
  if (xi < 0) throw new Error(`unknown column ${choice.x}`);
  const base: EChartsOption = { aria: { enabled: true }, color: [colour], tooltip: { trigger: choice.kind === 'scatter' ? 'item' : 'axis' }, grid: { containLabel: true, left: 16, right: 24, top: 32, bottom: 16 } };
  switch (choice.kind) {
    case 'histogram':
      return histogram(base, rows, xi, choice);
    case 'scatter': {
      if (yi < 0) throw new Error(`unknown column ${choice.y}`);
      const data: [number, number][] = [];
      for (const row of rows) {
        const x = toNumber(row[xi]);
        const y = toNumber(row[yi]);
        if (x !== null && y !== null) data.push([x, y]);
      }
      return {
        option: { ...base, xAxis: { type: 'value', name: choice.x, scale: true }, yAxis: { type: 'value', name: choice.y, scale: true }, series: [{ type: 'scatter', name: choice.y, data, symbolSize: 6 }] },
        points: data.length,
        skipped: rows.length - data.length,
      };
    }
    case 'bar':
    case 'line': {
      if (yi < 0) throw new Error(`unknown column ${choice.y}`);
      const sums = new Map<string, number>();
      let skipped = 0;
      for (const row of rows) {
        const y = toNumber(row[yi]);
        const x = row[xi];
        if (y === null || x === null || x === undefined) {
          skipped++;
          continue;
        }
        const key = String(x);
        sums.set(key, (sums.get(key) ?? 0) + y);
      }
      let categories = [...sums.keys()];
      // Numbers read in their order (ages, years); other values keep the query's ORDER BY.
      if (categories.every((c) => toNumber(c) !== null)) categories = categories.sort((a, b) => Number(a) - Number(b));
      return {
        option: {
          ...base,
          xAxis: { type: 'category', name: choice.x, data: categories },
          yAxis: { type: 'value', name: choice.y },
          series: [{ type: choice.kind, name: choice.y, data: categories.map((c) => sums.get(c) ?? 0) }],
        },
        points: categories.length,
        skipped,
      };
    }
  }
}

function histogram(base: EChartsOption, rows: readonly (readonly unknown[])[], xi: number, choice: ChartChoice): ChartSpec {
  const values = rows.map((r) => toNumber(r[xi])).filter((v): v is number => v !== null);
  const skipped = rows.length - values.length;
  if (values.length === 0) return { option: { ...base, series: [] }, points: 0, skipped };
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const bins = Math.max(1, Math.min(100, Math.round(choice.bins ?? 20)));
  // Whole numbers over a narrow span get one bin per value, so no bin straddles two integers.
  const integers = values.every(Number.isInteger);
  const count = integers && max - min + 1 <= bins ? max - min + 1 : min === max ? 1 : bins;
  const width = integers && count === max - min + 1 ? 1 : (max - min) / count || 1;
  const counts = new Array<number>(count).fill(0);
  for (const v of values) counts[Math.min(count - 1, Math.floor((v - min) / width))]! += 1;
  const round = (n: number) => Number(n.toPrecision(6));
  const labels = counts.map((_, i) => (integers && width === 1 ? String(min + i) : `[${round(min + i * width)} ; ${round(min + (i + 1) * width)}${i === count - 1 ? ']' : '['}`));
  return {
    option: {
      ...base,
      xAxis: { type: 'category', name: choice.x, data: labels },
      yAxis: { type: 'value', name: 'n' },
      series: [{ type: 'bar', name: choice.x, data: counts, barCategoryGap: '2%' }],
    },
    points: count,
    skipped,
  };
}
