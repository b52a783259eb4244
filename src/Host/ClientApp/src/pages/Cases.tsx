import { Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../lib/api';
import { moment, statusColor, statusNames, type Warning } from '../lib/format';
import { Loadable, useLoad } from '../lib/Page';
import { useSession, useT } from '../lib/session';
import { WarningLight } from './Inbox';

export interface CaseSummary {
  caseId: string;
  caseNumber: string;
  matterCode: string;
  matterName: string;
  department: string;
  applicantName: string;
  receivedAt: string;
  promisedDue?: string;
  completedAt?: string;
  status: string;
  warning: Warning;
}

export function CasesPage() {
  const t = useT();
  const { user } = useSession();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string>();
  const [warning, setWarning] = useState<string>();
  const [page, setPage] = useState(1);
  const query = new URLSearchParams({ page: String(page), pageSize: '20', ...(q ? { q } : {}), ...(status ? { status } : {}), ...(warning ? { warning } : {}) }).toString();
  const cases = useLoad(() => api<{ items: CaseSummary[]; total: number }>(`/api/cases?${query}`), [query]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('办件查询', 'Cases')}</Typography.Title>
      <Space wrap>
        <Input.Search allowClear placeholder={t('办件编号或申请人', 'Case number or applicant')} onSearch={(v) => { setQ(v); setPage(1); }} style={{ width: 260 }} data-testid="case-search" />
        <Select allowClear placeholder={t('状态', 'Status')} style={{ width: 140 }} value={status} onChange={(v) => { setStatus(v); setPage(1); }} options={Object.entries(statusNames).map(([k, v]) => ({ value: k, label: t(v, k) }))} />
        <Select allowClear placeholder={t('亮灯', 'Light')} style={{ width: 120 }} value={warning} onChange={(v) => { setWarning(v); setPage(1); }} options={(['green', 'yellow', 'red'] as Warning[]).map((w) => ({ value: w, label: <WarningLight warning={w} /> }))} />
      </Space>
      <Loadable loading={cases.loading && !cases.data} error={cases.error}>
        <Table<CaseSummary>
          rowKey="caseId"
          size="middle"
          scroll={{ x: 900 }}
          loading={cases.loading}
          dataSource={cases.data?.items ?? []}
          pagination={{ current: page, pageSize: 20, total: cases.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', render: (n: string, r) => <Link to={`/cases/${r.caseId}`} data-testid="case-link">{n}</Link> },
            { title: t('事项', 'Matter'), dataIndex: 'matterName', ellipsis: true },
            { title: t('申请人', 'Applicant'), dataIndex: 'applicantName', ellipsis: true },
            { title: t('收件', 'Received'), dataIndex: 'receivedAt', render: moment, width: 150 },
            { title: t('状态', 'Status'), dataIndex: 'status', width: 110, render: (s: string) => <Tag color={statusColor(s)}>{t(statusNames[s] ?? s, s)}</Tag> },
            { title: t('亮灯', 'Light'), dataIndex: 'warning', width: 90, render: (w: Warning) => <WarningLight warning={w} /> },
            ...(user?.role === 'auditor' ? [{ title: '', width: 80, render: (_: unknown, r: CaseSummary) => <Link to={`/cases/${r.caseId}/replay`}>{t('回放', 'Replay')}</Link> }] : []),
          ]}
        />
      </Loadable>
    </Space>
  );
}
