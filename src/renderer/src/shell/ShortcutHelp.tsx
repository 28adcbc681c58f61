// The "?" dialog: every keyboard shortcut of the workstation.
import { Group, Kbd, Modal, Table, Text } from '@mantine/core'
import { shortcutList } from './shortcuts'

export function ShortcutHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts" centered>
      <Table withRowBorders={false} data-testid="shortcut-help">
        <Table.Tbody>
          {shortcutList.map((shortcut) => (
            <Table.Tr key={`${shortcut.keys.join('+')}-${shortcut.action}`}>
              <Table.Td w={130}>
                <Group gap={4} wrap="nowrap">
                  {shortcut.keys.map((key, index) => (
                    <span key={key}>
                      {index > 0 ? <Text span size="xs" c="dimmed" mx={2}>+</Text> : null}
                      <Kbd>{key}</Kbd>
                    </span>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>{shortcut.action}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="sm">
        Single keys work when you are not typing in a field. In a browser some Ctrl shortcuts (such as Ctrl+N) may be kept by the browser itself; the single keys always work.
      </Text>
    </Modal>
  )
}
