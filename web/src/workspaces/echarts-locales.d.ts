/** ECharts ships its French strings (tooltips, the ARIA description) without a declaration file. */
declare module 'echarts/lib/i18n/langFR.js' {
  const locale: object;
  export default locale;
}
