import { Card, Col, DatePicker, Row, Space, Statistic, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
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
/** The rating levels in English, in the order of {@link ratingNames}. */
export const ratingNamesEn = ['Very satisfied', 'Satisfied', 'Fair', 'Dissatisfied', 'Very dissatisfied'];

/** A figure for a tile: "—" where there is nothing to count (no completed case, no rating), never a made-up 0. */
export const figure = (value: number | null | undefined) => (value === null || value === undefined ? '—' : value);

/** The rating pie with its legend below the ring, so it never covers the chart. */
export function ratingsOption(m: Metrics, names: string[]) {
  return {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['30%', '58%'], center: ['50%', '44%'], label: { show: false }, data: names.map((n, i) => ({ name: n, value: m.ratings[String(i + 1)] ?? 0 })) }],
  };
}

/** The bar chart by matter: its legend at the top, above the grid, and room on the left for the matter names. */
export function mattersOption(m: Metrics, [received, completed]: [string, string]) {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: [received, completed] },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: m.byMatter.map((x) => x.matter), axisLabel: { width: 150, overflow: 'truncate' } },
    series: [{ type: 'bar', name: received, data: m.byMatter.map((x) => x.received) }, { type: 'bar', name: completed, data: m.byMatter.map((x) => x.completed) }],
  };
}

/** The chart of volumes over time (received and completed per week). */
export function weeklyOption(m: Metrics, [received, completed]: [string, string] = ['收件', '办结']) {
  return {
    tooltip: { trigger: 'axis' },
    // The legend above the grid and the labels inside it (containLabel), so neither sits on an axis.
    legend: { top: 0, data: [received, completed] },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: m.byWeek.map((w) => w.week) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: received, type: 'line', data: m.byWeek.map((w) => w.received) },
      { name: completed, type: 'line', data: m.byWeek.map((w) => w.completed) },
    ],
  };
}

const day = (v: string) => (v && dayjs(v).isValid() ? dayjs(v) : undefined);

export function DashboardPage() {
  const t = useT();
  const { user, lang } = useSession();
  // The period is in the URL (from, to); without it, the last 90 days.
  const [f, setF] = useUrlFilters({ from: '', to: '' });
  const from = day(f.from) ?? dayjs().subtract(89, 'day');
  const to = day(f.to) ?? dayjs();
  const metrics = useQuery({ ...queries.metrics({ from: from.format('YYYY-MM-DD'), to: to.format('YYYY-MM-DD') }), placeholderData: keepPreviousData });
  // The whole red list, a page at a time from the server.
  const [redPage, setRedPage] = useState(1);
  const red = useQuery({ ...queries.cases({ warning: 'red', page: redPage, pageSize: 10 }), enabled: hasRole(user, 'auditor'), placeholderData: keepPreviousData });
  const m = metrics.data;
  const kinds = (kind: string) => m?.byCaseType?.find((k) => k.caseType === kind);
  const oneVisitHelp = t(
    '办结办件中到现场不超过一次的比例：在窗口或大厅自助终端申请计一次，每次要求补正再计一次，纸质结果到窗口领取再计一次（即办件当场发放、邮寄送达或电子证照不计）；网上、移动端、邮寄申请和免申即享不计。',
    'Completed cases that needed at most one visit in person: applying at a window or a hall terminal is one visit, each correction asked one more, collecting a paper result at a window one more (not when handed over at once, posted or issued electronically); online, mobile, postal and proactive applications none.',
  );
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
              {([
                [t('收件', 'Received'), m.volumes.received],
                [t('受理', 'Accepted'), m.volumes.accepted],
                [t('不予受理', 'Not accepted'), m.volumes.notAccepted],
                [t('撤回', 'Withdrawn'), m.volumes.withdrawn],
                [t('办结', 'Completed'), m.volumes.completed],
                [t('不予许可', 'Refused'), m.volumes.refused],
                [t('按时办结率 %', 'On time %'), m.onTimeRate],
                [t('提前办结率 %', 'Early %'), m.earlyCompletionRate],
                [t('平均办理工作日', 'Avg working days'), m.averageHandlingWorkingDays, t('从受理到办结的工作日（按工作时间折算），补正等暂停时间不计', 'Working days from acceptance to completion (working hours over a working day), pauses such as corrections not counted')],
                [t('即办件平均工作日', 'Immediate: avg working days'), kinds('immediate')?.averageHandlingWorkingDays, t(`即办件 收件 ${kinds('immediate')?.received ?? 0}，办结 ${kinds('immediate')?.completed ?? 0}`, `Immediate cases: received ${kinds('immediate')?.received ?? 0}, completed ${kinds('immediate')?.completed ?? 0}`)],
                [t('承诺件平均工作日', 'Promised: avg working days'), kinds('promised')?.averageHandlingWorkingDays, t(`承诺件 收件 ${kinds('promised')?.received ?? 0}，办结 ${kinds('promised')?.completed ?? 0}`, `Cases with a promised limit: received ${kinds('promised')?.received ?? 0}, completed ${kinds('promised')?.completed ?? 0}`)],
                [t('最多跑一次 %', 'At most one visit %'), m.atMostOneVisitRate, oneVisitHelp],
                [t('当前超期', 'Overdue now'), m.overdueOpen],
                [t('满意率 %', 'Satisfaction %'), m.satisfactionRate],
                [t('差评整改率 %', 'Bad ratings rectified %'), m.badRatingRectificationRate],
              ] as [string, number | null | undefined, string?][]).map(([label, value, help]) => (
                <Col xs={12} md={6} xl={4} key={label}>
                  <Card size="small">
                    <Statistic title={help ? <Tooltip title={help}><span style={{ borderBottom: '1px dashed' }}>{label}</span></Tooltip> : label} value={figure(value)} data-testid="metric" />
                  </Card>
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
                  <ReactECharts style={{ height: 280 }} option={ratingsOption(m, lang === 'zh' ? ratingNames : ratingNamesEn)} />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('按事项', 'By matter')}>
                  <ReactECharts style={{ height: 320 }} option={mattersOption(m, [t('收件', 'Received'), t('办结', 'Completed')])} />
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
                <Table size="small" rowKey="caseId" dataSource={red.data?.items ?? []} loading={red.isFetching}
                  pagination={{ current: redPage, pageSize: 10, total: red.data?.total ?? 0, showSizeChanger: false, onChange: setRedPage, showTotal: (n) => t(`共 ${n} 件`, `${n} in all`) }} locale={{ emptyText: t('没有超期办件', 'Nothing overdue') }}
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
