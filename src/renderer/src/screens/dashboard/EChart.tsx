// One echarts chart in a card: drawn from core modules only (keeps the bundle small), redrawn in
// the current theme, resized with its box, and saveable as a PNG (getDataURL → download).
import { Button, Card, Group, Text, useComputedColorScheme } from '@mantine/core'
import { BarChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export type ChartOption = echarts.EChartsCoreOption

const backgrounds = { light: '#ffffff', dark: '#2e2e2e' } as const

export function EChart({ title, option, height = 300, fileName, testId }: { title: string; option: ChartOption; height?: number; fileName: string; testId: string }) {
  const box = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  const scheme = useComputedColorScheme('light', { getInitialValueInEffect: false })

  useEffect(() => {
    const element = box.current
    if (!element) return
    const instance = echarts.init(element, scheme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' })
    chart.current = instance
    const observer = new ResizeObserver(() => instance.resize())
    observer.observe(element)
    return () => {
      observer.disconnect()
      instance.dispose()
      chart.current = null
    }
  }, [scheme])

  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', ...option }, { notMerge: true })
  }, [option, scheme])

  const savePng = () => {
    const instance = chart.current
    if (!instance) return
    const url = instance.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: backgrounds[scheme] })
    const link = document.createElement('a')
    link.href = url
    link.download = `${fileName}.png`
    document.body.appendChild(link)
    link.click()
    link.remove()
  }

  return (
    <Card withBorder data-testid={testId}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{title}</Text>
        <Button size="xs" variant="subtle" onClick={savePng} aria-label={`Save ${title} as PNG`}>
          Save as PNG
        </Button>
      </Group>
      <div ref={box} style={{ height, width: '100%' }} role="img" aria-label={title} />
    </Card>
  )
}
