/**
 * Draws a chart option with ECharts (only the bar, line and scatter series, grid, tooltip and
 * ARIA description are bundled). Loaded lazily, so ECharts is fetched when a chart is drawn.
 * ECharts' ARIA option writes a text description of the chart on the container for screen readers.
 * `onExporter` hands out the drawn chart as an image (PNG from the canvas, SVG drawn again by
 * ECharts' server-side SVG renderer), to attach it to a release request of the output airlock.
 */
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { LegacyGridContainLabel } from 'echarts/features';
import * as echarts from 'echarts/core';
import type { EChartsOption } from 'echarts';
import langFR from 'echarts/lib/i18n/langFR.js';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// grid.containLabel (axis labels inside the drawing) is a separate feature since ECharts 6.
echarts.use([BarChart, LineChart, ScatterChart, AriaComponent, GridComponent, TooltipComponent, LegacyGridContainLabel, CanvasRenderer, SVGRenderer]);
// English is built in; French (tooltips, the ARIA description) is registered here.
echarts.registerLocale('FR', langFR as Parameters<typeof echarts.registerLocale>[1]);

/** The drawn chart as a `data:` URL of the given type. */
export type ChartExporter = (type: 'svg' | 'png') => string;

export default function ResultChart({ option, label, locale, onExporter }: { option: EChartsOption; label: string; locale: 'fr' | 'en'; onExporter?: (exporter: ChartExporter | null) => void }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const echartsLocale = locale === 'fr' ? 'FR' : 'EN';
    const chart = echarts.init(host.current, undefined, { renderer: 'canvas', locale: echartsLocale });
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    onExporter?.((type) => {
      if (type === 'png') return chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
      // getDataURL gives SVG only from an SVG-rendered chart: draw the same option once more, off screen.
      const svg = echarts.init(null, undefined, { renderer: 'svg', ssr: true, width: chart.getWidth(), height: chart.getHeight(), locale: echartsLocale });
      svg.setOption({ ...option, animation: false });
      const text = svg.renderToSVGString();
      svg.dispose();
      return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
    });
    return () => {
      onExporter?.(null);
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option, locale, onExporter]);
  return <div ref={host} className="hdh-chart" style={{ height: '22rem' }} role="img" aria-label={label} data-testid="result-chart" />;
}
