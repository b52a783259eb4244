import { App, Badge, Button, Card, Col, Grid, List, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { usePersonName } from '../lib/people';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { TaskRow } from '../lib/model';
import { daysLeftText, isWarning, moment, say, taskStatusNames, warningColor, type Warning } from '../lib/format';
import { Loadable } from '../lib/Page';
import { queries, useClaimTasks, type TaskRef } from '../lib/queries';
import { hasRole, useSession, useT } from '../lib/session';
import { opt, useUrlFilters } from '../lib/urlState';
import { UnclaimButton } from '../lib/TaskHandoff';
import { ProvisionalMark } from '../lib/ProvisionalMark';
import { PriorityTag } from '../lib/PriorityTag';


export function WarningLight({ warning }: { warning: string }) {
  const t = useT();
  if (!isWarning(warning)) return <Badge status="default" text={warning || '—'} data-testid={`light-${warning}`} />;
  const text = { green: t('正常', 'on time'), yellow: t('预警', 'warning'), red: t('超期', 'overdue') }[warning];
  return <Badge color={warningColor[warning]} text={text} data-testid={`light-${warning}`} />;
}

export function InboxPage() {
  const nameOf = usePersonName();
  const t = useT();
  const { lang, user } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [f, setF] = useUrlFilters({ scope: 'department', matter: '', warning: '', status: '', step: '', page: '1' });
  const page = Math.max(1, Number(f.page) || 1);
  const [selected, setSelected] = useState<string[]>([]);
  const countFilters = { scope: f.scope, matter: opt(f.matter), status: opt(f.status), step: opt(f.step) };
  const counts = useQuery(queries.taskCounts(countFilters));
  const tasks = useQuery({ ...queries.tasks({ ...countFilters, warning: opt(f.warning), page, pageSize: 20 }), placeholderData: keepPreviousData });
  const matters = useQuery(queries.matters());
  const steps = [...new Set([...(tasks.data?.items ?? []).map((x) => x.stepName), ...(f.step ? [f.step] : [])])];
  const claiming = useClaimTasks();
  // At phone width the table would scroll sideways; each task becomes a card with the same links and buttons.
  const compact = Grid.useBreakpoint().md === false;

  const claim = (rows: TaskRef[]) =>
    claiming.mutate(rows, {
      onSuccess: (failed) => {
        if (failed.length) message.warning(t(`${failed.length} 件未能签收：`, `${failed.length} not claimed: `) + failed.map((e) => e.message).join('；'));
        else message.success(t(`已签收 ${rows.length} 件`, `Claimed ${rows.length}`));
        setSelected([]);
      },
    });
  const rowsOf = (ids: string[]) => (tasks.data?.items ?? []).filter((r) => ids.includes(r.taskId));

  const statusTag = (r: TaskRow) => (r.status === 'Claimed' ? <Tag color="blue">{nameOf(r.assignee)}</Tag> : r.status === 'Open' ? <Tag>{t('未签收', 'open')}</Tag> : <Tag>{say(taskStatusNames, r.status, lang)}</Tag>);
  const handoff = (r: TaskRow) => (r.status === 'Open' ? <Button size="small" onClick={() => claim([r])} data-testid="claim">{t('签收', 'Claim')}</Button> : r.status === 'Claimed' ? <UnclaimButton task={r} /> : null);

  const light = (w: Warning, n?: number) => (
    <Card size="small" hoverable onClick={() => setF({ warning: f.warning === w ? undefined : w })} style={{ borderColor: f.warning === w ? warningColor[w] : undefined }} data-testid={`count-${w}`}>
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
        <Select value={f.scope} onChange={(v) => setF({ scope: v })} style={{ width: 140 }} data-testid="scope"
          options={[{ value: 'department', label: t('本部门', 'My department') }, { value: 'mine', label: t('我签收的', 'Claimed by me') }, ...(hasRole(user, 'auditor') ? [{ value: 'all', label: t('全部', 'All') }] : [])]} />
        <Select allowClear placeholder={t('事项', 'Matter')} value={f.matter || undefined} onChange={(v) => setF({ matter: v })} style={{ width: 240 }} showSearch optionFilterProp="label"
          options={(matters.data ?? []).map((m) => ({ value: m.code, label: m.name }))} />
        <Select allowClear placeholder={t('环节', 'Step')} value={f.step || undefined} onChange={(v) => setF({ step: v })} style={{ width: 160 }} options={steps.map((s) => ({ value: s, label: s }))} />
        <Select allowClear placeholder={t('亮灯', 'Light')} value={f.warning || undefined} onChange={(v) => setF({ warning: v })} style={{ width: 120 }}
          options={(['green', 'yellow', 'red'] as Warning[]).map((w) => ({ value: w, label: <WarningLight warning={w} /> }))} />
        <Select allowClear placeholder={t('签收状态', 'Claimed?')} value={f.status || undefined} onChange={(v) => setF({ status: v })} style={{ width: 130 }} data-testid="status"
          options={[{ value: 'unclaimed', label: t('未签收', 'Unclaimed') }, { value: 'claimed', label: t('已签收', 'Claimed') }]} />
        <Button type="primary" disabled={!selected.length} loading={claiming.isPending} onClick={() => claim(rowsOf(selected))} data-testid="claimSelected">{t(`批量签收（${selected.length}）`, `Claim selected (${selected.length})`)}</Button>
        <Button loading={tasks.isFetching} onClick={() => { void tasks.refetch(); void counts.refetch(); }}>{t('刷新', 'Refresh')}</Button>
      </Space>
      <Loadable loading={tasks.isPending} error={tasks.error}>
        {compact ? (
          <List<TaskRow>
            dataSource={tasks.data?.items ?? []}
            loading={tasks.isFetching}
            locale={{ emptyText: t('没有待办', 'Nothing to do') }}
            data-testid="task-cards"
            renderItem={(r) => (
              <List.Item key={r.taskId} style={{ padding: '4px 0' }}>
                <Card size="small" style={{ width: '100%', borderColor: r.priority ? '#52c41a' : undefined }} data-testid="task-card">
                  <Space direction="vertical" size={2} style={{ width: '100%' }}>
                    <Space wrap size={6}>
                      <Link to={`/cases/${r.caseId}?task=${r.taskId}`} data-testid="task-link" style={{ wordBreak: 'break-all' }}>{r.caseNumber}</Link>
                      <PriorityTag kind={r.priority} />
                      <WarningLight warning={r.warning} />
                    </Space>
                    <Typography.Text ellipsis style={{ maxWidth: '100%' }}>{r.matterName}</Typography.Text>
                    <Typography.Text type="secondary">{r.applicantName} · {r.stepName}</Typography.Text>
                    <Space wrap size={6} style={{ justifyContent: 'space-between', width: '100%' }}>
                      <span title={moment(r.dueAt)}>{daysLeftText(r.workingDaysLeft, lang)}<ProvisionalMark provisional={r.dueProvisional} /></span>
                      <Space size={6}>{statusTag(r)}{handoff(r)}</Space>
                    </Space>
                  </Space>
                </Card>
              </List.Item>
            )}
          />
        ) : (
        <Table<TaskRow>
          rowKey="taskId"
          size="middle"
          scroll={{ x: 900 }}
          dataSource={tasks.data?.items ?? []}
          loading={tasks.isFetching}
          locale={{ emptyText: t('没有待办', 'Nothing to do') }}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: (r) => ({ disabled: r.status !== 'Open' }) }}
          onRow={(r) => ({ onDoubleClick: () => navigate(`/cases/${r.caseId}?task=${r.taskId}`) })}
          pagination={false}
          columns={[
            { title: t('亮灯', 'Light'), dataIndex: 'warning', width: 90, render: (w: string) => <WarningLight warning={w} /> },
            { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', render: (n: string, r) => <Space size={4} wrap><Link to={`/cases/${r.caseId}?task=${r.taskId}`} data-testid="task-link">{n}</Link><PriorityTag kind={r.priority} /></Space> },
            { title: t('事项', 'Matter'), dataIndex: 'matterName', ellipsis: true },
            { title: t('申请人', 'Applicant'), dataIndex: 'applicantName', width: 160, ellipsis: true },
            { title: t('环节', 'Step'), dataIndex: 'stepName', width: 140 },
            { title: t('期限', 'Due'), dataIndex: 'dueAt', width: 170, render: (d: string | null, r) => <span title={moment(d)}>{daysLeftText(r.workingDaysLeft, lang)}<ProvisionalMark provisional={r.dueProvisional} /></span> },
            { title: t('状态', 'Status'), dataIndex: 'status', width: 120, render: (_: string, r) => statusTag(r) },
            { title: '', width: 110, render: (_, r) => handoff(r) },
          ]}
        />
        )}
        <Space style={{ marginTop: 12 }}>
          <Button disabled={page === 1} onClick={() => setF({ page: String(page - 1) })}>{t('上一页', 'Previous')}</Button>
          <Typography.Text>{t(`第 ${page} 页`, `Page ${page}`)}</Typography.Text>
          <Button disabled={!tasks.data?.hasMore} onClick={() => setF({ page: String(page + 1) })}>{t('下一页', 'Next')}</Button>
        </Space>
      </Loadable>
    </Space>
  );
}
