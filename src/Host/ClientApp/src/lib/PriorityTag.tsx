// The 绿色通道 tag a flagged case shows wherever it is listed or opened.
import { Tag } from 'antd';
import { priorityKindNames, say } from './format';
import { useSession } from './session';

export function PriorityTag({ kind }: { kind?: string | null }) {
  const { lang } = useSession();
  if (!kind) return null;
  return <Tag color="green" data-testid="priority-tag">{say(priorityKindNames, kind, lang)}</Tag>;
}
