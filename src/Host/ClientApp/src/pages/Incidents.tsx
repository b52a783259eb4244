// 异常办件: every faulted step for auditors, open ones first, each retried from here.
import { Segmented, Space, Table, Tag, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import type { Incident } from '../lib/model';
import { moment } from '../lib/format';
import { RetryIncidentButton } from '../lib/IncidentRetry';
import { Loadable } from '../lib/Page';
import { queries, type IncidentStatus } from '../lib/queries';
import { usePersonName } from '../lib/people';
import { useT } from '../lib/session';
import { useUrlFilters } from '../lib/urlState';

const statusOf = (v: string): IncidentStatus => (v === 'Resolved' ? 'Resolved' : 'Open');

export function IncidentsPage() {
  const t = useT();
  const nameOf = usePersonName();
  const [f, setF] = useUrlFilters({ status: 'Open' });
  const incidents = useQuery({ ...queries.incidents(statusOf(f.status)), placeholderData: keepPreviousData });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('异常办件', 'Incidents')}</Typography.Title>
      <Space wrap>
        <Segmented
          value={f.status}
          onChange={(v) => setF({ status: v as string })}
          options={[
            { value: 'Open', label: t('待重试', 'Open') },
            { value: 'Resolved', label: t('已解决', 'Resolved') },
          ]}
          data-testid="incident-status-filter"
        />
      </Space>
      <Loadable loading={incidents.isPending} error={incidents.error}>
        <Table<Incident>
          rowKey="incidentId"
          size="middle"
          scroll={{ x: 900 }}
          loading={incidents.isFetching}
          dataSource={incidents.data ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          locale={{ emptyText: f.status === 'Open' ? t('没有待重试的异常', 'No open incidents') : t('没有异常', 'No incidents') }}
          data-testid="incidents-table"
          columns={[
            { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', width: 170, render: (n: string, r) => <Link to={`/cases/${r.caseId}`} data-testid="incident-case-link">{n}</Link> },
            { title: t('环节', 'Step'), dataIndex: 'step', width: 140, render: (id: string, i) => i.stepName ?? id },
            { title: t('错误', 'Error'), dataIndex: 'message', ellipsis: true },
            { title: t('经办人', 'Actor'), dataIndex: 'actor', width: 120, render: (a: string) => nameOf(a) },
            { title: t('发生时间', 'Occurred'), dataIndex: 'occurredAt', width: 150, render: moment },
            { title: t('次数', 'Attempts'), dataIndex: 'attempts', width: 80 },
            {
              title: t('状态', 'Status'),
              dataIndex: 'status',
              width: 190,
              render: (s: string, r) =>
                s === 'Resolved' ? (
                  <span title={`${moment(r.resolvedAt)} ${r.resolvedBy ? nameOf(r.resolvedBy) : ''}`}>
                    <Tag color="green">{t('已解决', 'resolved')}</Tag>
                    <Typography.Text type="secondary">{r.resolvedBy ? nameOf(r.resolvedBy) : ''}</Typography.Text>
                  </span>
                ) : (
                  <Tag color="red">{t('待重试', 'open')}</Tag>
                ),
            },
            { title: '', width: 90, render: (_, r) => (r.status === 'Open' ? <RetryIncidentButton incident={r} /> : null) },
          ]}
        />
      </Loadable>
    </Space>
  );
}
