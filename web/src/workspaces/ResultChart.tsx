/**
 * Draws a chart option with ECharts (only the bar, line and scatter series, grid, tooltip and
 * ARIA description are bundled). Loaded lazily, so ECharts is fetched when a chart is drawn.
 * ECharts' ARIA option writes a text description of the chart on the container for screen readers.
 */
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, GridComponent, TooltipComponent } from 'echarts/components';
import { LegacyGridContainLabel } from 'echarts/features';
import * as echarts from 'echarts/core';
import type { EChartsOption } from 'echarts';
import langFR from 'echarts/lib/i18n/langFR.js';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// grid.containLabel (axis labels inside the drawing) is a separate feature since ECharts 6.
echarts.use([BarChart, LineChart, ScatterChart, AriaComponent, GridComponent, TooltipComponent, LegacyGridContainLabel, CanvasRenderer]);
// English is built in; French (tooltips, the ARIA description) is registered here.
echarts.registerLocale('FR', langFR as Parameters<typeof echarts.registerLocale>[1]);

export default function ResultChart({ option, label, locale }: { option: EChartsOption; label: string; locale: 'fr' | 'en' }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const chart = echarts.init(host.current, undefined, { renderer: 'canvas', locale: locale === 'fr' ? 'FR' : 'EN' });
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option, locale]);
  return <div ref={host} className="hdh-chart" style={{ height: '22rem' }} role="img" aria-label={label} data-testid="result-chart" />;
}
