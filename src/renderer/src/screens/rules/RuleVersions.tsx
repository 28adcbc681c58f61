// A rule's immutable versions, with a line diff between any two of them.
import { Box, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core'
import { useMemo, useState } from 'react'
import type { RuleDetailView } from '../../../../shared/api/types-desk'
import { diffLines, stableJson } from './rule-form'

const lineColors = { added: 'var(--mantine-color-teal-light)', removed: 'var(--mantine-color-red-light)', same: undefined }

export function RuleVersions({ rule, onLoad }: { rule: RuleDetailView; onLoad: (definition: Record<string, unknown>) => void }) {
  const versions = rule.versions
  const [left, setLeft] = useState(String(versions[1]?.version ?? versions[0]!.version))
  const [right, setRight] = useState(String(versions[0]!.version))
  const options = versions.map((each) => ({ value: String(each.version), label: `v${each.version}` }))
  const diff = useMemo(() => {
    const a = versions.find((each) => String(each.version) === left)
    const b = versions.find((each) => String(each.version) === right)
    if (!a || !b) return []
    // The status lives on the rule, not in a version: leave it out of the comparison.
    const { status: _a, ...before } = a.definition
    const { status: _b, ...after } = b.definition
    return diffLines(stableJson(before), stableJson(after))
  }, [versions, left, right])
  const changed = diff.filter((line) => line.kind !== 'same').length

  return (
    <Card withBorder data-testid="rule-versions">
      <Stack gap="sm">
        <Title order={4}>Versions</Title>
        <Table fz="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Saved</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((each) => (
              <Table.Tr key={each.version}>
                <Table.Td>
                  v{each.version}
                  {each.version === rule.currentVersion ? ' (current)' : ''}
                </Table.Td>
                <Table.Td>{each.createdAt.slice(0, 16).replace('T', ' ')}</Table.Td>
                <Table.Td>{each.createdBy}</Table.Td>
                <Table.Td ta="right">
                  <Button size="compact-xs" variant="subtle" onClick={() => onLoad(each.definition)}>
                    Load into editor
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {versions.length > 1 ? (
          <>
            <Group gap="xs" align="flex-end">
              <Select label="Compare" data={options} value={left} onChange={(value) => value && setLeft(value)} allowDeselect={false} w={100} />
              <Select label="with" data={options} value={right} onChange={(value) => value && setRight(value)} allowDeselect={false} w={100} />
              <Text size="sm" c="dimmed" pb={6}>
                {changed === 0 ? 'identical' : `${changed} line(s) differ`}
              </Text>
            </Group>
            <Box
              component="pre"
              data-testid="rule-diff"
              m={0}
              p="xs"
              fz={12}
              style={{ fontFamily: 'var(--mantine-font-family-monospace)', border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, maxHeight: 360, overflow: 'auto' }}
            >
              {diff.map((line, index) => (
                <div key={index} style={{ background: lineColors[line.kind] }}>
                  {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '− ' : '  '}
                  {line.text}
                </div>
              ))}
            </Box>
          </>
        ) : (
          <Text size="sm" c="dimmed">
            One version so far; each save adds one.
          </Text>
        )}
      </Stack>
    </Card>
  )
}
