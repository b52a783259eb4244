import { Input, Select, Space, Table, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import type { CaseSummary } from '../lib/model';
import { moment, statusColor, statusNames, type Warning } from '../lib/format';
import { Loadable } from '../lib/Page';
import { queries } from '../lib/queries';
import { hasRole, useSession, useT } from '../lib/session';
import { opt, useUrlFilters } from '../lib/urlState';
import { WarningLight } from './Inbox';
import { PriorityTag } from '../lib/PriorityTag';


export function CasesPage() {
  const t = useT();
  const { user } = useSession();
  const [f, setF] = useUrlFilters({ q: '', status: '', warning: '', page: '1' });
  const page = Math.max(1, Number(f.page) || 1);
  const cases = useQuery({ ...queries.cases({ page, pageSize: 20, q: opt(f.q), status: opt(f.status), warning: opt(f.warning) }), placeholderData: keepPreviousData });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('办件查询', 'Cases')}</Typography.Title>
      <Space wrap>
        <Input.Search allowClear placeholder={t('办件编号或申请人', 'Case number or applicant')} defaultValue={f.q} key={f.q} onSearch={(v) => setF({ q: v.trim() })} style={{ width: 260 }} data-testid="case-search" />
        <Select allowClear placeholder={t('状态', 'Status')} style={{ width: 140 }} value={f.status || undefined} onChange={(v) => setF({ status: v })} options={Object.entries(statusNames).map(([k, v]) => ({ value: k, label: t(v, k) }))} />
        <Select allowClear placeholder={t('亮灯', 'Light')} style={{ width: 120 }} value={f.warning || undefined} onChange={(v) => setF({ warning: v })} options={(['green', 'yellow', 'red'] as Warning[]).map((w) => ({ value: w, label: <WarningLight warning={w} /> }))} />
      </Space>
      <Loadable loading={cases.isPending} error={cases.error}>
        <Table<CaseSummary>
          rowKey="caseId"
          size="middle"
          scroll={{ x: 900 }}
          loading={cases.isFetching}
          dataSource={cases.data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: cases.data?.total ?? 0, onChange: (p) => setF({ page: String(p) }), showSizeChanger: false }}
          columns={[
            { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', render: (n: string, r) => <Space size={4} wrap><Link to={`/cases/${r.caseId}`} data-testid="case-link">{n}</Link><PriorityTag kind={r.priority} /></Space> },
            { title: t('事项', 'Matter'), dataIndex: 'matterName', ellipsis: true },
            { title: t('申请人', 'Applicant'), dataIndex: 'applicantName', ellipsis: true },
            { title: t('收件', 'Received'), dataIndex: 'receivedAt', render: moment, width: 150 },
            { title: t('状态', 'Status'), dataIndex: 'status', width: 110, render: (s: string) => <Tag color={statusColor(s)}>{t(statusNames[s] ?? s, s)}</Tag> },
            { title: t('亮灯', 'Light'), dataIndex: 'warning', width: 90, render: (w: string) => <WarningLight warning={w} /> },
            ...(hasRole(user, 'auditor') ? [{ title: '', width: 80, render: (_: unknown, r: CaseSummary) => <Link to={`/cases/${r.caseId}/replay`}>{t('回放', 'Replay')}</Link> }] : []),
          ]}
        />
      </Loadable>
    </Space>
  );
}
