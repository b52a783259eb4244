import { Alert, Card, Col, Descriptions, Empty, Row, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { Json } from '../lib/api';
import type { CaseView } from '../lib/apiTypes';
import { FlowDiagram } from '../lib/FlowDiagram';
import { readFlow } from '../lib/flow';
import { certificateOutcomeNames, channelNames, limitText, moment, pauseNames, say, statusColor, statusNames, stepActionNames } from '../lib/format';
import { Loadable } from '../lib/Page';
import { queries } from '../lib/queries';
import { useSession, useT } from '../lib/session';
import { TaskPanel } from '../lib/TaskPanel';
import { WarningLight } from './Inbox';

export type { CaseView };

const satisfiedText: Record<string, [string, string]> = {
  paper: ['纸质已收', 'paper'],
  certificate: ['电子证照', 'e-certificate'],
  supplement: ['已补交', 'supplied later'],
};

export function MaterialsTable({ view }: { view: CaseView }) {
  const t = useT();
  const missing = new Set<string>((view.tolerance?.missing as string[] | undefined) ?? []);
  return (
    <Table
      size="small"
      rowKey="name"
      pagination={false}
      dataSource={(view.materials ?? []).filter((m) => m.applies !== false)}
      locale={{ emptyText: t('尚无材料清单', 'No checklist yet') }}
      columns={[
        { title: t('材料', 'Material'), dataIndex: 'name' },
        {
          title: t('情况', 'State'),
          render: (_, m) =>
            m.satisfiedBy ? (
              <Tag color={m.satisfiedBy === 'certificate' ? 'blue' : 'green'} data-testid={`material-${m.satisfiedBy}`}>{t(...(satisfiedText[m.satisfiedBy] ?? [m.satisfiedBy, m.satisfiedBy]))}</Tag>
            ) : missing.has(m.name) ? (
              <Tag color="orange">{t('容缺，', 'tolerated, ')}{t('限', 'by ')} {moment(view.tolerance?.deadline)}</Tag>
            ) : m.required ? (
              <Tag color="red">{t('缺', 'missing')}</Tag>
            ) : (
              <Tag>{t('非必需', 'optional')}</Tag>
            ),
        },
      ]}
    />
  );
}

export function CasePage() {
  const { id } = useParams();
  const [search] = useSearchParams();
  const t = useT();
  const { user, lang } = useSession();
  const view = useQuery(queries.case(id!));
  const code = view.data?.matterCode ?? '';
  const flowJson = useQuery({ ...queries.flow(code), enabled: !!code });
  const matter = useQuery({ ...queries.matter(code), enabled: !!code });
  const flow = useMemo(() => (flowJson.data ? readFlow(flowJson.data) : undefined), [flowJson.data]);
  const v = view.data;
  const actionable = (v?.currentSteps ?? []).filter(
    (s) => (user?.role === 'window' || user?.role === 'reviewer') && (s.department === user?.department || s.assignee === user?.userName),
  );
  const focus = search.get('task');
  actionable.sort((a, b) => (a.taskId === focus ? -1 : b.taskId === focus ? 1 : 0));
  const m = matter.data?.matter;
  return (
    <Loadable loading={view.isPending} error={view.error}>
      {v && (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space wrap align="center">
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="case-number">{v.caseNumber}</Typography.Title>
            <Tag color={statusColor(v.status)} data-testid="case-status">{t(statusNames[v.status] ?? v.status, v.status)}</Tag>
            <WarningLight warning={v.warning} />
            <Typography.Text>{v.matterName}</Typography.Text>
            {user?.role === 'auditor' && <Link to={`/cases/${v.caseId}/replay`} data-testid="replay-link">{t('回放审计', 'Replay')}</Link>}
          </Space>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={16}>
              <Space direction="vertical" style={{ width: '100%' }} size="middle">
                <Card size="small" title={t('申请人与时限', 'Applicant and time limits')}>
                  <Descriptions size="small" column={{ xs: 1, md: 2 }}>
                    <Descriptions.Item label={t('申请人', 'Applicant')}>{v.applicant.name}</Descriptions.Item>
                    <Descriptions.Item label={t('证件号码', 'ID number')}>{v.applicant.idNumber}</Descriptions.Item>
                    <Descriptions.Item label={t('电话', 'Phone')}>{v.applicant.phone ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('地址', 'Address')}>{v.applicant.address ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('收件时间', 'Received')}>{moment(v.receivedAt)}</Descriptions.Item>
                    <Descriptions.Item label={t('受理时间', 'Accepted')}>{moment(v.acceptedAt)}</Descriptions.Item>
                    <Descriptions.Item label={t('承诺时限', 'Promised by')}>{moment(v.promisedDue)}</Descriptions.Item>
                    <Descriptions.Item label={t('法定时限', 'Statutory by')}>{moment(v.statutoryDue)}</Descriptions.Item>
                    <Descriptions.Item label={t('办结时间', 'Completed')}>{moment(v.completedAt)}</Descriptions.Item>
                    <Descriptions.Item label={t('渠道', 'Channel')}>{say(channelNames, v.channel, lang)}</Descriptions.Item>
                  </Descriptions>
                </Card>
                {flow && (
                  <Card size="small" title={t('流程图（红框为当前环节）', 'Flow (current position outlined)')}>
                    <FlowDiagram flow={flow} current={v.positions.map((p) => p.activityId)} />
                  </Card>
                )}
                <Card size="small" title={t('材料清单', 'Materials')}>
                  <MaterialsTable view={v} />
                  {(v.certificateUses ?? []).length > 0 && (
                    <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                      {t('电子证照调取：', 'Certificate lookups: ')}
                      {(v.certificateUses ?? []).map((u, i) => (
                        <Tag key={i} color={u.outcome === 'Found' ? 'blue' : 'default'}>{u.certificateType} {say(certificateOutcomeNames, u.outcome, lang)}{u.material ? ` → ${u.material}` : ''}</Tag>
                      ))}
                    </Typography.Paragraph>
                  )}
                </Card>
                {v.parallel && (
                  <Card size="small" title={t('并联审批', 'Parallel approval')}>
                    <Table size="small" pagination={false} rowKey="department" data-testid="parallel"
                      dataSource={((v.parallel.members as string[]) ?? []).map((d) => ({ department: d, ...(((v.parallel!.decisions as Json[]) ?? []).find((x) => x.department === d) ?? {}) }))}
                      columns={[
                        { title: t('部门', 'Department'), dataIndex: 'department' },
                        { title: t('意见', 'Decision'), dataIndex: 'decision', render: (d?: string, r?: Json) => (d ? <Tag color={d === 'disagree' ? 'red' : 'green'}>{say(stepActionNames, d, lang)}{r?.deemed ? t('（视为同意）', ' (deemed)') : ''}</Tag> : <Tag>{t('待答复', 'waiting')}</Tag>) },
                        { title: t('理由', 'Reasons'), dataIndex: 'reasons' },
                        { title: t('时间', 'At'), dataIndex: 'at', render: moment },
                      ]}
                    />
                  </Card>
                )}
                <Card size="small" title={t('办理过程', 'What happened')}>
                  {(v.steps ?? []).length === 0 ? <Empty description={t('尚无办理记录', 'Nothing yet')} /> : (
                    <Timeline items={(v.steps ?? []).map((s) => ({ color: s.action === 'pass' ? 'green' : s.action === 'reject' ? 'red' : 'blue', children: <span><b>{s.step}</b> · {s.handler} · {say(stepActionNames, s.action, lang)} · {moment(s.end)}<br />{s.opinion}</span> }))} data-testid="timeline" />
                  )}
                  {(v.pauses ?? []).length > 0 && (
                    <Typography.Paragraph>{t('暂停计时：', 'Clock paused: ')}{(v.pauses ?? []).map((p, i) => <Tag key={i}>{say(pauseNames, p.kind, lang)} {p.start} ~ {p.end ?? t('至今', 'now')}：{p.reason}</Tag>)}</Typography.Paragraph>
                  )}
                </Card>
              </Space>
            </Col>
            <Col xs={24} lg={8}>
              <Space direction="vertical" style={{ width: '100%' }} size="middle">
                {actionable.map((s) => <TaskPanel key={s.taskId} caseId={v.caseId} step={s} />)}
                <Card size="small" title={t('当前环节', 'Current steps')}>
                  {v.currentSteps.length === 0 ? <Typography.Text type="secondary">{t('无待办', 'None')}</Typography.Text> : v.currentSteps.map((s) => <div key={s.taskId}>{s.stepName} · {s.department} · {moment(s.dueAt)}</div>)}
                </Card>
                {v.waybill && (
                  <Card size="small" title={t('邮寄', 'Mail')} data-testid="waybill">
                    <div>{v.waybill.number ?? '—'} · <Tag>{v.waybill.status}</Tag></div>
                    {v.waybill.problem && <Alert type="warning" message={v.waybill.problem} />}
                  </Card>
                )}
                {v.rating && (
                  <Card size="small" title={t('好差评', 'Rating')} data-testid="rating">
                    {v.rating.level ? <span>{t('等级', 'Level')} {v.rating.level} · {v.rating.comment}</span> : <Typography.Text type="secondary">{t('等待申请人评价', 'Waiting for the applicant')}</Typography.Text>}
                  </Card>
                )}
                {m && (
                  <Card size="small" title={t('事项要素', 'Matter elements')}>
                    <Descriptions size="small" column={1}>
                      <Descriptions.Item label={t('编码', 'Code')}>{m.code}</Descriptions.Item>
                      <Descriptions.Item label={t('实施主体', 'Department')}>{m.department}</Descriptions.Item>
                      <Descriptions.Item label={t('法定时限', 'Statutory')}>{limitText(m.statutoryLimit, lang)}</Descriptions.Item>
                      <Descriptions.Item label={t('承诺时限', 'Promised')}>{limitText(m.promisedLimit, lang)}</Descriptions.Item>
                      <Descriptions.Item label={t('收费', 'Fee')}>{m.fee?.charged ? t('收费', 'charged') : t('不收费', 'free')}</Descriptions.Item>
                      <Descriptions.Item label={t('设定依据', 'Legal basis')}>{m.legalBasis ?? '—'}</Descriptions.Item>
                    </Descriptions>
                  </Card>
                )}
              </Space>
            </Col>
          </Row>
        </Space>
      )}
    </Loadable>
  );
}
