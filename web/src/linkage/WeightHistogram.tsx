/**
 * The match-weight histogram of a probabilistic run, drawn by ECharts loaded on demand (dynamic
 * import of the modular build) so the main bundle stays small. Two bar series on a logarithmic
 * scale — every scored pair, and the links kept — and a line at the threshold.
 */
import type { EChartsType } from 'echarts/core';
import { useEffect, useRef } from 'react';
import type { HistogramBin } from './types.ts';

export interface WeightHistogramProps {
  bins: HistogramBin[];
  thresholdWeight: number;
  labels: { weight: string; pairs: string; links: string };
  title: string;
}

export function WeightHistogram({ bins, thresholdWeight, labels, title }: WeightHistogramProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let cancelled = false;
    let chart: EChartsType | null = null;
    const resize = () => chart?.resize();
    void import('./echarts-bar.ts').then(({ init }) => {
      if (cancelled || !container.current) return;
      chart = init(container.current, undefined, { renderer: 'canvas' });
      const from = Math.min(...bins.map((b) => b.from), Math.floor(thresholdWeight));
      const to = Math.max(...bins.map((b) => b.from), Math.floor(thresholdWeight));
      const byFrom = new Map(bins.map((b) => [b.from, b]));
      const categories: string[] = [];
      for (let w = from; w <= to; w++) categories.push(String(w));
      // A logarithmic axis has no 0: empty bins are gaps.
      const values = (pick: (b: HistogramBin) => number) => categories.map((c) => {
        const v = pick(byFrom.get(Number(c)) ?? { from: 0, pairs: 0, links: 0 });
        return v > 0 ? v : null;
      });
      chart.setOption({
        animation: false,
        grid: { left: 64, right: 24, top: 40, bottom: 48 },
        legend: { top: 0 },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'category', data: categories, name: labels.weight, nameLocation: 'middle', nameGap: 30 },
        yAxis: { type: 'log', logBase: 10, min: 1 },
        series: [
          {
            name: labels.pairs,
            type: 'bar',
            data: values((b) => b.pairs),
            itemStyle: { color: '#929292' },
            barGap: '-100%',
            markLine: { symbol: 'none', silent: true, lineStyle: { color: '#ce0500', type: 'dashed', width: 2 }, label: { formatter: `p ≥ ${(1 / (1 + 2 ** -thresholdWeight)).toFixed(2)}` }, data: [{ xAxis: String(Math.floor(thresholdWeight)) }] },
          },
          { name: labels.links, type: 'bar', data: values((b) => b.links), itemStyle: { color: '#000091' } },
        ],
      });
      window.addEventListener('resize', resize);
      container.current.dataset.ready = 'true';
    });
    return () => {
      cancelled = true;
      window.removeEventListener('resize', resize);
      chart?.dispose();
    };
  }, [bins, thresholdWeight, labels]);
  return <div ref={container} className="linkage-histogram" role="img" aria-label={title} style={{ width: '100%', height: 340 }} />;
}
