// One echarts chart, drawn as SVG (crisp at any zoom, light to render), sized to its box and
// following the light/dark theme. Only the chart types the Simulation screen uses are registered,
// which keeps echarts' share of the bundle small.
import { Box, useComputedColorScheme } from '@mantine/core'
import { BarChart, LineChart, SankeyChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'

echarts.use([BarChart, LineChart, SankeyChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer])

export type ChartOption = echarts.EChartsCoreOption

export function EChart({ option, height = 300, label, testId }: { option: ChartOption; height?: number; label: string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null)
  const scheme = useComputedColorScheme('light', { getInitialValueInEffect: false })
  useEffect(() => {
    const element = box.current
    if (!element) return
    const chart = echarts.init(element, scheme === 'dark' ? 'dark' : undefined, { renderer: 'svg' })
    chart.setOption({ backgroundColor: 'transparent', animation: false, ...option })
    const observer = new ResizeObserver(() => chart.resize())
    observer.observe(element)
    return () => {
      observer.disconnect()
      chart.dispose()
    }
  }, [option, scheme])
  return <Box ref={box} h={height} w="100%" role="img" aria-label={label} data-testid={testId} />
}
