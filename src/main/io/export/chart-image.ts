// Charts for exported workbooks: the same echarts options the UI draws, rendered in the main
// process to SVG (echarts' server-side rendering, no DOM or canvas) and rasterised to PNG by
// resvg, because spreadsheets embed pictures, not SVG.
//
// Offline by construction: echarts' SVG names font families only, and resvg draws with fonts
// installed on the machine, never fetching anything. The family list starts with Arial (Windows,
// macOS) and its metric twin Liberation Sans (Linux), so text is laid out close to how echarts
// measured it, then falls back to other common sans-serif fonts.
import type { EChartsOption } from 'echarts'
import type { ReportChart } from './types'

export const chartFontFamily = "Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', 'Segoe UI', sans-serif"

export const defaultChartWidth = 800
export const defaultChartHeight = 450
/** Rendered at twice the placed size, so the picture stays sharp when zoomed or printed. */
export const defaultPixelRatio = 2

const minChartSide = 100
const maxChartSide = 4000

export interface ChartSize {
  width: number
  height: number
}

/** The placed size of a chart in pixels, checked. */
export function chartSize(chart: Pick<ReportChart, 'width' | 'height'>): ChartSize {
  const width = chart.width ?? defaultChartWidth
  const height = chart.height ?? defaultChartHeight
  for (const [name, side] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(side) || side < minChartSide || side > maxChartSide) {
      throw new RangeError(`chart ${name} must be a whole number of pixels from ${minChartSide} to ${maxChartSide}, got ${side}`)
    }
  }
  return { width, height }
}

/** The option with what a static report picture needs: the title, no animation, white background, local fonts. */
export function reportChartOption(chart: Pick<ReportChart, 'title' | 'option'>): EChartsOption {
  const option = chart.option
  const textStyle = { fontFamily: chartFontFamily, ...(isRecord(option.textStyle) ? option.textStyle : {}) }
  const result: EChartsOption = { backgroundColor: '#ffffff', ...option, animation: false, textStyle }
  if (option.title === undefined) {
    result.title = { text: chart.title, left: 'center', top: 8 }
    // The default legend sits at the top centre, on top of the title: move it below.
    if (isRecord(option.legend) && option.legend.top === undefined && option.legend.bottom === undefined) {
      result.legend = { ...option.legend, top: 36 }
      if (option.grid === undefined) result.grid = { top: 72 }
    }
  } else if (isRecord(option.title) && option.title.text === undefined) {
    result.title = { ...option.title, text: chart.title }
  }
  return result
}

/** The chart as an SVG document. */
export async function renderChartSvg(chart: ReportChart): Promise<string> {
  const { width, height } = chartSize(chart)
  const echarts = await import('echarts')
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    instance.setOption(reportChartOption(chart))
    return instance.renderToSVGString()
  } finally {
    instance.dispose()
  }
}

export interface ChartPng extends ChartSize {
  /** The PNG file's bytes; its pixel size is the placed size times the pixel ratio. */
  png: Buffer
}

/** The chart as a PNG picture (rasterised off the main thread by resvg). */
export async function renderChartPng(chart: ReportChart, pixelRatio = defaultPixelRatio): Promise<ChartPng> {
  const size = chartSize(chart)
  if (!(pixelRatio >= 1 && pixelRatio <= 4)) throw new RangeError(`pixelRatio must be from 1 to 4, got ${pixelRatio}`)
  const svg = await renderChartSvg(chart)
  return { ...size, png: await rasteriseSvg(svg, pixelRatio) }
}

/** PNG bytes of an SVG document, scaled by `zoom`, on white, with the machine's fonts. */
export async function rasteriseSvg(svg: string, zoom = 1): Promise<Buffer> {
  const { renderAsync } = await import('@resvg/resvg-js')
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: '#ffffff',
    // The SVG names its families (chartFontFamily); resvg picks the first one installed.
    font: { loadSystemFonts: true },
    logLevel: 'off',
  })
  return image.asPng()
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
