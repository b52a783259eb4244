// The business view of a case's journal: who did what at which step, with the opinion; a click selects the record.
import { Table, Typography } from 'antd';
import { useMemo } from 'react';
import { moment } from './format';
import { businessLines, lineSentence, type BusinessLine } from './journalLines';
import type { JournalRecord } from './model';
import { useSession, useT } from './session';

export function JournalLines({ records, names, selected, onSelect }: {
  records: readonly JournalRecord[];
  names?: Record<string, string>;
  /** The sequence of the record selected in the step view. */
  selected?: number;
  onSelect: (sequence: number) => void;
}) {
  const t = useT();
  const { lang } = useSession();
  const lines = useMemo(() => businessLines(records, lang, names), [records, lang, names]);
  return (
    <Table<BusinessLine> size="small" rowKey="sequence" dataSource={lines} pagination={{ pageSize: 15 }} data-testid="business-lines"
      locale={{ emptyText: t('没有经办记录', 'Nothing done by anyone yet') }}
      onRow={(l) => ({ onClick: () => onSelect(l.sequence), style: { cursor: 'pointer', background: l.sequence === selected ? '#e6f4ff' : undefined } })}
      columns={[
        { title: t('时间', 'When'), dataIndex: 'timestamp', render: moment, width: 150 },
        {
          title: t('经办', 'What was done'),
          render: (_, l) => (
            <span data-testid="business-line">
              {l.actor ? lineSentence(l, lang) : <Typography.Text type="secondary">{lineSentence(l, lang)}</Typography.Text>}
            </span>
          ),
        },
        { title: '#', dataIndex: 'sequence', width: 60, render: (s: number) => <Typography.Text type="secondary">{s}</Typography.Text> },
      ]}
    />
  );
}
