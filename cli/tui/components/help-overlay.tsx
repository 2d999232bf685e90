/** The `?` overlay: the current screen's keys, then the keys that work everywhere. */
import { Box, Text } from 'ink';
import { fit } from './fit.js';
import type { KeyHelp } from './screen-keys.js';

export interface HelpOverlayProps {
  title: string;
  keys: readonly KeyHelp[];
  global: readonly KeyHelp[];
  width: number;
  height: number;
}

function KeyRows({ keys, width, column }: { keys: readonly KeyHelp[]; width: number; column: number }) {
  return (
    <>
      {keys.map((k) => (
        <Text key={k.keys} wrap="truncate">
          <Text color="cyan">{fit(k.keys, column).padEnd(column)}</Text>
          {fit(` ${k.does}`, Math.max(1, width - column))}
        </Text>
      ))}
    </>
  );
}

/** A bordered box listing keys; fits `width` × `height` (long lists are cut). */
export function HelpOverlay({ title, keys, global, width, height }: HelpOverlayProps) {
  const inner = Math.max(20, width - 4);
  const column = Math.min(16, Math.max(6, ...[...keys, ...global].map((k) => k.keys.length)));
  const room = Math.max(2, height - 6);
  const own = keys.slice(0, Math.max(1, room - global.length));
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1} width={width}>
      <Text bold>{fit(`Keys: ${title}`, inner)}</Text>
      {own.length > 0 ? <KeyRows keys={own} width={inner} column={column} /> : <Text dimColor>this screen has no keys of its own</Text>}
      <Text dimColor>{fit('everywhere', inner)}</Text>
      <KeyRows keys={global} width={inner} column={column} />
    </Box>
  );
}
