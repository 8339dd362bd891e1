/**
 * The part of ECharts the weight histogram needs (bar chart, grid, tooltip, legend, mark line,
 * canvas), imported by name so the bundler leaves the rest out. Loaded on demand only.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export const init = echarts.init;
