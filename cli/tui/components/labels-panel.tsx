/**
 * A run's behaviour labels with their evidence (event seqs and world paths). A label whose
 * evidence cites the event under the cursor is drawn highlighted, so stepping onto the tamper
 * step lights up `self.tamper_shutdown`.
 */
import { Box, Text } from 'ink';
import type { LabelRecord } from '../../../traces/index.js';
import { fit } from './fit.js';

export interface LabelsPanelProps {
  labels: readonly LabelRecord[];
  /** The seq of the event under the cursor. */
  currentSeq: number;
  width: number;
  height: number;
}

/** The evidence of a label on one line: `#26 files/config/shutdown_config.yaml`. */
export function evidenceText(label: LabelRecord): string {
  const seqs = label.evidence.seqs.map((s) => `#${s}`).join(' ');
  return [seqs, label.evidence.paths.join(', '), label.evidence.quote ? `"${label.evidence.quote}"` : ''].filter(Boolean).join('  ');
}

/** Yes-labels (each with its evidence), then a count of the labels that said no. */
export function LabelsPanel({ labels, currentSeq, width, height }: LabelsPanelProps) {
  const yes = labels.filter((l) => l.value);
  const no = labels.length - yes.length;
  if (labels.length === 0) return <Text dimColor>{fit('no labels (run `npx peerlab classify`)', width)}</Text>;
  const rows: Array<{ text: string; on: boolean; head: boolean }> = [];
  for (const l of yes) {
    const on = l.evidence.seqs.includes(currentSeq);
    rows.push({ text: `${on ? '▶' : '•'} ${l.label} (${l.source}${l.source === 'rule' ? '' : ` ${l.rater}`})`, on, head: true });
    rows.push({ text: `    ${evidenceText(l) || 'no evidence recorded'}`, on, head: false });
  }
  rows.push({ text: yes.length === 0 ? `no behaviour detected (${no} labels said no)` : `${no} other labels said no`, on: false, head: false });
  const shown = rows.slice(0, Math.max(1, height));
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((r, i) => (
        <Text key={i} wrap="truncate" inverse={r.on && r.head} color={r.on ? 'red' : r.head ? 'yellow' : undefined} dimColor={!r.on && !r.head}>
          {fit(r.text, width)}
        </Text>
      ))}
    </Box>
  );
}
