// One echarts chart, drawn from an option and redrawn when it or the colour scheme changes.
// Only the chart types and components the reports use are registered, to keep the bundle small.
import { Box, useComputedColorScheme } from '@mantine/core'
import { BarChart, LineChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer])

export type ChartOption = echarts.EChartsCoreOption

export function ReportChart({ option, height = 320, label }: { option: ChartOption; height?: number; label: string }) {
  const element = useRef<HTMLDivElement>(null)
  const scheme = useComputedColorScheme('light', { getInitialValueInEffect: false })
  useEffect(() => {
    if (!element.current) return
    const chart = echarts.init(element.current, scheme === 'dark' ? 'dark' : undefined, { renderer: 'svg' })
    chart.setOption({ backgroundColor: 'transparent', animationDuration: 300, ...option })
    const observer = new ResizeObserver(() => chart.resize())
    observer.observe(element.current)
    return () => {
      observer.disconnect()
      chart.dispose()
    }
  }, [option, scheme])
  return <Box ref={element} h={height} w="100%" role="img" aria-label={label} data-testid="report-chart" />
}
