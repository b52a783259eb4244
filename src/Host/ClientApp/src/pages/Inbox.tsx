import { App, Badge, Button, Card, Col, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, post } from '../lib/api';
import { daysLeftText, moment, warningColor, type Warning } from '../lib/format';
import { Loadable, useLoad } from '../lib/Page';
import { useSession, useT } from '../lib/session';

export interface TaskRow {
  taskId: string;
  caseId: string;
  caseNumber: string;
  matterCode: string;
  matterName: string;
  applicantName: string;
  stepName: string;
  department: string;
  assignee?: string | null;
  kind: string;
  dueAt?: string | null;
  workingDaysLeft?: number | null;
  warning: Warning;
  status: 'Open' | 'Claimed';
}

interface Matter {
  code: string;
  name: string;
}

export function WarningLight({ warning }: { warning: Warning }) {
  const t = useT();
  const text = { green: t('正常', 'on time'), yellow: t('预警', 'warning'), red: t('超期', 'overdue') }[warning];
  return <Badge color={warningColor[warning]} text={text} data-testid={`light-${warning}`} />;
}

export function InboxPage() {
  const t = useT();
  const { lang, user } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [scope, setScope] = useState('department');
  const [matter, setMatter] = useState<string>();
  const [warning, setWarning] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [step, setStep] = useState<string>();
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const query = new URLSearchParams({ scope, page: String(page), pageSize: '20', ...(matter ? { matter } : {}), ...(warning ? { warning } : {}), ...(status ? { status } : {}), ...(step ? { step } : {}) });
  const counts = useLoad(() => api<{ total: number; green: number; yellow: number; red: number }>(`/api/tasks/counts?${new URLSearchParams({ scope, ...(matter ? { matter } : {}), ...(status ? { status } : {}), ...(step ? { step } : {}) })}`), [scope, matter, status, step]);
  const tasks = useLoad(() => api<{ items: TaskRow[]; hasMore: boolean }>(`/api/tasks?${query}`), [query.toString()]);
  const matters = useLoad(() => api<Matter[]>('/api/matters'), []);
  const steps = [...new Set((tasks.data?.items ?? []).map((x) => x.stepName))];

  const claim = async (ids: string[]) => {
    const results = await Promise.allSettled(ids.map((id) => post(`/api/tasks/${id}/claim`)));
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    if (failed.length) message.warning(t(`${failed.length} 件未能签收：`, `${failed.length} not claimed: `) + failed.map((f) => (f.reason as Error).message).join('；'));
    else message.success(t(`已签收 ${ids.length} 件`, `Claimed ${ids.length}`));
    setSelected([]);
    tasks.reload();
  };

  const light = (w: Warning, n?: number) => (
    <Card size="small" hoverable onClick={() => { setWarning(warning === w ? undefined : w); setPage(1); }} style={{ borderColor: warning === w ? warningColor[w] : undefined }} data-testid={`count-${w}`}>
      <Statistic title={<WarningLight warning={w} />} value={n ?? '—'} valueStyle={{ color: warningColor[w] }} />
    </Card>
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('我的待办', 'My inbox')} <Typography.Text type="secondary">{user?.department}</Typography.Text></Typography.Title>
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}><Card size="small"><Statistic title={t('待办总数', 'Open tasks')} value={counts.data?.total ?? '—'} /></Card></Col>
        <Col xs={12} md={6}>{light('green', counts.data?.green)}</Col>
        <Col xs={12} md={6}>{light('yellow', counts.data?.yellow)}</Col>
        <Col xs={12} md={6}>{light('red', counts.data?.red)}</Col>
      </Row>
      <Space wrap>
        <Select value={scope} onChange={(v) => { setScope(v); setPage(1); }} style={{ width: 140 }} data-testid="scope"
          options={[{ value: 'department', label: t('本部门', 'My department') }, { value: 'mine', label: t('我签收的', 'Claimed by me') }, ...(user?.role === 'auditor' ? [{ value: 'all', label: t('全部', 'All') }] : [])]} />
        <Select allowClear placeholder={t('事项', 'Matter')} value={matter} onChange={(v) => { setMatter(v); setPage(1); }} style={{ width: 240 }} showSearch optionFilterProp="label"
          options={(matters.data ?? []).map((m) => ({ value: m.code, label: m.name }))} />
        <Select allowClear placeholder={t('环节', 'Step')} value={step} onChange={(v) => { setStep(v); setPage(1); }} style={{ width: 160 }} options={steps.map((s) => ({ value: s, label: s }))} />
        <Select allowClear placeholder={t('亮灯', 'Light')} value={warning} onChange={(v) => { setWarning(v); setPage(1); }} style={{ width: 120 }}
          options={(['green', 'yellow', 'red'] as Warning[]).map((w) => ({ value: w, label: <WarningLight warning={w} /> }))} />
        <Select allowClear placeholder={t('签收状态', 'Claimed?')} value={status} onChange={(v) => { setStatus(v); setPage(1); }} style={{ width: 130 }} data-testid="status"
          options={[{ value: 'unclaimed', label: t('未签收', 'Unclaimed') }, { value: 'claimed', label: t('已签收', 'Claimed') }]} />
        <Button type="primary" disabled={!selected.length} onClick={() => claim(selected)} data-testid="claimSelected">{t(`批量签收（${selected.length}）`, `Claim selected (${selected.length})`)}</Button>
        <Button onClick={() => { tasks.reload(); counts.reload(); }}>{t('刷新', 'Refresh')}</Button>
      </Space>
      <Loadable loading={tasks.loading && !tasks.data} error={tasks.error}>
        <Table<TaskRow>
          rowKey="taskId"
          size="middle"
          scroll={{ x: 900 }}
          dataSource={tasks.data?.items ?? []}
          loading={tasks.loading}
          locale={{ emptyText: t('没有待办', 'Nothing to do') }}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: (r) => ({ disabled: r.status !== 'Open' }) }}
          onRow={(r) => ({ onDoubleClick: () => navigate(`/cases/${r.caseId}?task=${r.taskId}`) })}
          pagination={false}
          columns={[
            { title: t('亮灯', 'Light'), dataIndex: 'warning', width: 90, render: (w: Warning) => <WarningLight warning={w} /> },
            { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', render: (n: string, r) => <Link to={`/cases/${r.caseId}?task=${r.taskId}`} data-testid="task-link">{n}</Link> },
            { title: t('事项', 'Matter'), dataIndex: 'matterName', ellipsis: true },
            { title: t('申请人', 'Applicant'), dataIndex: 'applicantName', width: 160, ellipsis: true },
            { title: t('环节', 'Step'), dataIndex: 'stepName', width: 140 },
            { title: t('期限', 'Due'), dataIndex: 'dueAt', width: 170, render: (d: string, r) => <span title={moment(d)}>{daysLeftText(r.workingDaysLeft, lang)}</span> },
            { title: t('状态', 'Status'), dataIndex: 'status', width: 120, render: (s: string, r) => (s === 'Claimed' ? <Tag color="blue">{r.assignee}</Tag> : <Tag>{t('未签收', 'open')}</Tag>) },
            {
              title: '', width: 90, render: (_, r) => r.status === 'Open' ? <Button size="small" onClick={() => claim([r.taskId])} data-testid="claim">{t('签收', 'Claim')}</Button> : null,
            },
          ]}
        />
        <Space style={{ marginTop: 12 }}>
          <Button disabled={page === 1} onClick={() => setPage(page - 1)}>{t('上一页', 'Previous')}</Button>
          <Typography.Text>{t(`第 ${page} 页`, `Page ${page}`)}</Typography.Text>
          <Button disabled={!tasks.data?.hasMore} onClick={() => setPage(page + 1)}>{t('下一页', 'Next')}</Button>
        </Space>
      </Loadable>
    </Space>
  );
}
