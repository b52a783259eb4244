// 一件事一次办 on the case page: a bundle's member cases (子办件) with their progress side by side, or for a member the
// bundle it belongs to. Read from /api/cases/{id}/bundle under the case's own key, so whatever refreshes the case refreshes this.
import { Card, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import type { paths } from './api.gen';
import { client } from './api';
import { moment, statusColor, statusNames } from './format';
import { useT } from './session';

type BundleView = paths['/api/cases/{id}/bundle']['get']['responses']['200']['content']['application/json'];

const releaseText: Record<string, [string, string]> = {
  together: ['全部办结后统一出件', 'Results released together when all are done'],
  asEach: ['办结一项出件一项', 'Each result released as it is done'],
};
const refusalText: Record<string, [string, string]> = {
  continueOthers: ['一项不予办理时，其余事项照常办理', 'A refusal leaves the other matters running'],
  stopAll: ['一项不予办理时，其余事项一并终止', 'A refusal ends the other matters'],
};

export function CaseBundle({ caseId }: { caseId: string }) {
  const t = useT();
  const bundle = useQuery({
    queryKey: ['cases', 'one', caseId, 'bundle'],
    queryFn: async ({ signal }) => (await client.GET('/api/cases/{id}/bundle', { params: { path: { id: caseId } }, signal })).data as BundleView,
  });
  const b = bundle.data;
  if (!b) return null;
  const status = (s: string) => <Tag color={statusColor(s)}>{t(statusNames[s] ?? s, s)}</Tag>;
  return (
    <>
      {b.bundle && (
        <Card size="small" title={t('所属一件事', 'Part of a one-thing bundle')} data-testid="bundle-parent">
          <Link to={`/cases/${b.bundle.caseId}`}>{b.bundle.caseNumber}</Link> · {b.bundle.matterName} · {status(b.bundle.status)}
        </Card>
      )}
      {b.members.length > 0 && (
        <Card size="small" title={t('子办件', 'Member cases')} data-testid="bundle-members">
          <Table
            size="small"
            rowKey="caseId"
            pagination={false}
            scroll={{ x: true }}
            dataSource={b.members}
            columns={[
              { title: t('办件编号', 'Case number'), render: (_, m) => <Link to={`/cases/${m.caseId}`}>{m.caseNumber}</Link> },
              { title: t('事项', 'Matter'), dataIndex: 'matterName' },
              { title: t('办理部门', 'Department'), dataIndex: 'department' },
              { title: t('状态', 'Status'), render: (_, m) => <span data-testid="bundle-member-status">{status(m.status)}</span> },
              { title: t('承诺期限', 'Promised by'), render: (_, m) => moment(m.promisedDue) },
              { title: t('办结时间', 'Completed'), render: (_, m) => moment(m.completedAt) },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            {b.release && releaseText[b.release] ? t(...releaseText[b.release]) : ''}
            {b.refusal && refusalText[b.refusal] ? `${t('；', '; ')}${t(...refusalText[b.refusal])}` : ''}
            {b.sharedMaterials.length > 0 ? `${t('；', '; ')}${t('共用材料只收一次：', 'shared materials handed in once: ')}${b.sharedMaterials.join('、')}` : ''}
          </Typography.Paragraph>
        </Card>
      )}
    </>
  );
}
