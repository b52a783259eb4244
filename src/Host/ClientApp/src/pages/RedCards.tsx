// 督办 (电子监察): red cards for every case past its promised date and undecided, and every step past its own limit
// even while its case is in time; for supervisors (all) and department heads (their department's, as the host decides).
import { Space, Table, Tabs, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { moment } from '../lib/format';
import type { RedCard, StepOverrun } from '../lib/model';
import { Loadable } from '../lib/Page';
import { queries } from '../lib/queries';
import { useT } from '../lib/session';
import { WarningLight } from './Inbox';

export function RedCardsPage() {
  const t = useT();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('督办', 'Supervision')}</Typography.Title>
      <Tabs
        items={[
          { key: 'cards', label: t('红牌（办件超期）', 'Red cards (cases overdue)'), children: <Cards /> },
          { key: 'steps', label: t('环节超时', 'Steps over their limit'), children: <Overruns /> },
        ]}
      />
    </Space>
  );
}

function Cards() {
  const t = useT();
  const cards = useQuery(queries.redCards());
  return (
    <Loadable loading={cards.isPending} error={cards.error}>
      <Typography.Paragraph type="secondary">{t('超过承诺办结时限仍未办结的办件，每件发一次红牌。', 'Each case past its promised date and still undecided gets one red card.')}</Typography.Paragraph>
      <Table<RedCard>
        rowKey="caseId"
        size="middle"
        scroll={{ x: 800 }}
        dataSource={cards.data ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{ emptyText: t('没有红牌', 'No red cards') }}
        data-testid="red-cards-table"
        columns={[
          { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', width: 170, render: (n: string, r) => <Link to={`/cases/${r.caseId}`}>{n}</Link> },
          { title: t('事项', 'Matter'), dataIndex: 'matterName' },
          { title: t('责任部门', 'Department'), dataIndex: 'department' },
          { title: t('承诺办结', 'Promised'), dataIndex: 'promisedDue', width: 150, render: moment },
          { title: t('发牌时间', 'Issued'), dataIndex: 'issuedAt', width: 150, render: moment },
        ]}
      />
    </Loadable>
  );
}

function Overruns() {
  const t = useT();
  const steps = useQuery(queries.stepOverruns());
  return (
    <Loadable loading={steps.isPending} error={steps.error}>
      <Typography.Paragraph type="secondary">{t('超过本环节时限的待办，即使办件整体仍在时限内。', 'Tasks past their own step limit, even while their case is in time.')}</Typography.Paragraph>
      <Table<StepOverrun>
        rowKey="taskId"
        size="middle"
        scroll={{ x: 900 }}
        dataSource={steps.data ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{ emptyText: t('没有超时环节', 'No step is over its limit') }}
        data-testid="step-overruns-table"
        columns={[
          { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', width: 170, render: (n: string, r) => <Link to={`/cases/${r.caseId}`}>{n}</Link> },
          { title: t('事项', 'Matter'), dataIndex: 'matterName' },
          { title: t('环节', 'Step'), dataIndex: 'stepName', width: 120 },
          { title: t('部门', 'Department'), dataIndex: 'department' },
          { title: t('经办人', 'Handler'), dataIndex: 'assignee', width: 110, render: (a: string | null) => a ?? t('未签收', 'unclaimed') },
          { title: t('环节期限', 'Step due'), dataIndex: 'dueAt', width: 150, render: moment },
          { title: t('超时', 'Over'), dataIndex: 'workingDaysOver', width: 100, render: (d: number | null) => <Tag color="red">{t(`${d ?? 0} 个工作日`, `${d ?? 0} WD`)}</Tag> },
          { title: t('办件灯', 'Case light'), dataIndex: 'caseWarning', width: 90, render: (w: string) => <WarningLight warning={w} /> },
        ]}
      />
    </Loadable>
  );
}
