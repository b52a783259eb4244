import { Card, Col, DatePicker, Row, Space, Statistic, Table, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import ReactECharts from 'echarts-for-react';
import { Link } from 'react-router-dom';
import type { CaseSummary, Metrics } from '../lib/model';
import { moment } from '../lib/format';
import { Loadable } from '../lib/Page';
import { queries } from '../lib/queries';
import { hasRole, useSession, useT } from '../lib/session';
import { InvitationsCard } from './Invitations';
import { useUrlFilters } from '../lib/urlState';
import { QueueFigures } from '../lib/QueueFigures';


export const ratingNames = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'];

/** The chart of volumes over time (received and completed per week). */
export function weeklyOption(m: Metrics, [received, completed]: [string, string] = ['收件', '办结']) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: [received, completed] },
    grid: { left: 40, right: 16, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: m.byWeek.map((w) => w.week) },
    yAxis: { type: 'value' },
    series: [
      { name: received, type: 'line', data: m.byWeek.map((w) => w.received) },
      { name: completed, type: 'line', data: m.byWeek.map((w) => w.completed) },
    ],
  };
}

const day = (v: string) => (v && dayjs(v).isValid() ? dayjs(v) : undefined);

export function DashboardPage() {
  const t = useT();
  const { user } = useSession();
  // The period is in the URL (from, to); without it, the last 90 days.
  const [f, setF] = useUrlFilters({ from: '', to: '' });
  const from = day(f.from) ?? dayjs().subtract(89, 'day');
  const to = day(f.to) ?? dayjs();
  const metrics = useQuery({ ...queries.metrics({ from: from.format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') }), placeholderData: keepPreviousData });
  const red = useQuery({ ...queries.cases({ warning: 'red', pageSize: 10 }), enabled: hasRole(user, 'auditor') });
  const m = metrics.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('电子监察看板', 'Supervision dashboard')}</Typography.Title>
        <DatePicker.RangePicker value={[from, to]} onChange={(v) => v?.[0] && v[1] && setF({ from: v[0].format('YYYY-MM-DD'), to: v[1].format('YYYY-MM-DD') })} allowClear={false} data-testid="range" />
      </Space>
      <Loadable loading={metrics.isPending} error={metrics.error}>
        {m && (
          <>
            <Row gutter={[12, 12]}>
              {[
                [t('收件', 'Received'), m.volumes.received],
                [t('受理', 'Accepted'), m.volumes.accepted],
                [t('办结', 'Completed'), m.volumes.completed],
                [t('不予许可', 'Refused'), m.volumes.refused],
                [t('按时办结率 %', 'On time %'), m.onTimeRate],
                [t('提前办结率 %', 'Early %'), m.earlyCompletionRate],
                [t('平均办理工作日', 'Avg working days'), m.averageHandlingWorkingDays],
                [t('当前超期', 'Overdue now'), m.overdueOpen],
                [t('满意率 %', 'Satisfaction %'), m.satisfactionRate],
                [t('差评整改率 %', 'Bad ratings rectified %'), m.badRatingRectificationRate],
              ].map(([label, value]) => (
                <Col xs={12} md={6} xl={4} key={String(label)}>
                  <Card size="small"><Statistic title={label} value={value as number} data-testid="metric" /></Card>
                </Col>
              ))}
            </Row>
            <Row gutter={[12, 12]}>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('收件与办结（按周）', 'Received and completed by week')}>
                  <ReactECharts option={weeklyOption(m, [t('收件', 'Received'), t('办结', 'Completed')])} style={{ height: 280 }} />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('好差评', 'Ratings')}>
                  <ReactECharts style={{ height: 280 }} option={{ tooltip: {}, series: [{ type: 'pie', radius: ['35%', '65%'], data: ratingNames.map((n, i) => ({ name: n, value: m.ratings[String(i + 1)] ?? 0 })) }] }} />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('按事项', 'By matter')}>
                  <ReactECharts style={{ height: 320 }} option={{ tooltip: {}, grid: { left: 160, right: 16, top: 16, bottom: 24 }, xAxis: { type: 'value' }, yAxis: { type: 'category', data: m.byMatter.map((x) => x.matter), axisLabel: { width: 150, overflow: 'truncate' } }, series: [{ type: 'bar', name: t('收件', 'Received'), data: m.byMatter.map((x) => x.received) }, { type: 'bar', name: t('办结', 'Completed'), data: m.byMatter.map((x) => x.completed) }] }} />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('按部门', 'By department')}>
                  <Table size="small" rowKey="department" pagination={false} dataSource={m.byDepartment}
                    columns={[{ title: t('部门', 'Department'), dataIndex: 'department' }, { title: t('收件', 'Received'), dataIndex: 'received' }, { title: t('办结', 'Completed'), dataIndex: 'completed' }]} />
                </Card>
              </Col>
            </Row>
            {hasRole(user, 'auditor') && (
              <Card size="small" title={t('超期红灯办件', 'Overdue cases (red)')}>
                <Table size="small" rowKey="caseId" pagination={false} dataSource={red.data?.items ?? []} locale={{ emptyText: t('没有超期办件', 'Nothing overdue') }}
                  columns={[
                    { title: t('办件编号', 'Case number'), dataIndex: 'caseNumber', render: (n: string, r: CaseSummary) => <Link to={`/cases/${r.caseId}`}>{n}</Link> },
                    { title: t('事项', 'Matter'), dataIndex: 'matterName' },
                    { title: t('承诺时限', 'Promised by'), dataIndex: 'promisedDue', render: moment },
                  ]} />
              </Card>
            )}
          </>
        )}
      </Loadable>
      <InvitationsCard />
      <QueueFigures />
    </Space>
  );
}
