import { Alert, Card, Col, Descriptions, Empty, Row, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { CaseFileStep, CaseView, CorrectionNotice, ParallelDecision, Pause, RatingRecord, WaybillRecord } from '../lib/model';
import { FlowDiagram } from '../lib/FlowDiagram';
import { pathTaken, readFlow } from '../lib/flow';
import {
  certificateOutcomeNames,
  channelNames,
  limitText,
  moment,
  pauseNames,
  rectificationStageNames,
  resolutionNames,
  say,
  statusColor,
  statusWords,
  stepActionNames,
  taskStatusNames,
  waybillStatusNames,
} from '../lib/format';
import { usePersonName } from '../lib/people';
import { Loadable } from '../lib/Page';
import { queries } from '../lib/queries';
import { hasRole, useSession, useT } from '../lib/session';
import { TaskPanel } from '../lib/TaskPanel';
import { CaseDocuments } from '../lib/CaseDocuments';
import { CaseTicket } from '../lib/CaseTicket';
import { CaseUploads } from '../lib/CaseUploads';
import { RetryIncidentButton } from '../lib/IncidentRetry';
import { RevealApplicant } from '../lib/RevealApplicant';
import type { CaseApplicant } from '../lib/model';
import { ratingNames } from './Dashboard';
import { WarningLight } from './Inbox';
import { PriorityTag } from '../lib/PriorityTag';
import { ProvisionalMark } from '../lib/ProvisionalMark';
import { HandOverCard } from '../lib/HandOverCard';
import { CaseBundle } from '../lib/CaseBundle';

const satisfiedText: Record<string, [string, string]> = {
  paper: ['纸质已收', 'paper'],
  upload: ['网上已上传', 'uploaded online'],
  certificate: ['电子证照', 'e-certificate'],
  supplement: ['已补交', 'supplied later'],
};

export function MaterialsTable({ view }: { view: CaseView }) {
  const t = useT();
  const missing = new Set<string>(view.tolerance?.missing ?? []);
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
            ) : m.name !== undefined && missing.has(m.name) ? (
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
  const nameOf = usePersonName();
  const view = useQuery(queries.case(id!));
  const code = view.data?.matterCode ?? '';
  const flowJson = useQuery({ ...queries.flow(code), enabled: !!code });
  const matter = useQuery({ ...queries.matter(code), enabled: !!code });
  const flow = useMemo(() => (flowJson.data ? readFlow(flowJson.data) : undefined), [flowJson.data]);
  const v = view.data;
  const [revealed, setRevealed] = useState<CaseApplicant>();
  const reveals = useQuery({ ...queries.reveals(id!), enabled: hasRole(user, 'auditor') });
  // Only auditors may read the journal; for them the diagram shows the path the case took as well as where it is.
  const journal = useQuery({ ...queries.journal(id!), enabled: hasRole(user, 'auditor') });
  const path = useMemo(() => (flow && journal.data ? pathTaken(flow, journal.data) : undefined), [flow, journal.data]);
  const actionable = (v?.currentSteps ?? []).filter(
    (s) => (hasRole(user, 'window') || hasRole(user, 'reviewer')) && (s.department === user?.department || s.assignee === user?.userName),
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
            <Tag color={statusColor(v.status)} data-testid="case-status">{say(statusWords, v.status, lang)}</Tag>
            <WarningLight warning={v.warning} />
            <PriorityTag kind={v.priority} />
            <Typography.Text>{v.matterName}</Typography.Text>
            {hasRole(user, 'auditor') && <Link to={`/cases/${v.caseId}/replay`} data-testid="replay-link">{t('回放审计', 'Replay')}</Link>}
          </Space>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={16}>
              <Space direction="vertical" style={{ width: '100%' }} size="middle">
                <Card size="small" title={t('申请人与时限', 'Applicant and time limits')}>
                  <Descriptions size="small" column={{ xs: 1, md: 2 }}>
                    <Descriptions.Item label={t('申请人', 'Applicant')}>{v.applicant.name}</Descriptions.Item>
                    <Descriptions.Item label={t('证件号码', 'ID number')}>
                      <Space size="small" wrap>
                        <span data-testid="applicant-id">{(revealed ?? v.applicant).idNumber}</span>
                        {!revealed && (hasRole(user, 'window') || hasRole(user, 'reviewer')) && <RevealApplicant caseId={v.caseId} onRevealed={setRevealed} />}
                      </Space>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('电话', 'Phone')}>{(revealed ?? v.applicant).phone ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('地址', 'Address')}>{(revealed ?? v.applicant).address ?? '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('收件时间', 'Received')}>{moment(v.receivedAt)}</Descriptions.Item>
                    <Descriptions.Item label={t('受理时间', 'Accepted')}>{moment(v.acceptedAt)}</Descriptions.Item>
                    <Descriptions.Item label={t('承诺时限', 'Promised by')}>{moment(v.promisedDue)}<ProvisionalMark provisional={v.promisedDueProvisional} /></Descriptions.Item>
                    <Descriptions.Item label={t('法定时限', 'Statutory by')}>{moment(v.statutoryDue)}<ProvisionalMark provisional={v.statutoryDueProvisional} /></Descriptions.Item>
                    <Descriptions.Item label={t('办结时间', 'Completed')}>{moment(v.completedAt)}</Descriptions.Item>
                    <Descriptions.Item label={t('渠道', 'Channel')}>{say(channelNames, v.channel, lang)}</Descriptions.Item>
                  </Descriptions>
                  <CaseTicket caseId={v.caseId} />
                  {hasRole(user, 'auditor') && (
                    <div data-testid="reveal-log">
                      <Typography.Text strong>{t('个人信息查看记录', 'Reveals of personal data')}</Typography.Text>
                      {(reveals.data ?? []).length === 0
                        ? <div><Typography.Text type="secondary">{t('无人查看过完整信息', 'No one has seen them in full')}</Typography.Text></div>
                        : reveals.data!.map((r, i) => <div key={i}>{moment(r.at)} · {nameOf(r.userName)} · {r.reason}</div>)}
                    </div>
                  )}
                </Card>
                <CaseBundle caseId={v.caseId} />
                {flow && (
                  <Card size="small" title={t('流程图（红框为当前环节）', 'Flow (current position outlined)')}>
                    <FlowDiagram flow={flow} current={v.positions.map((p) => p.activityId)} path={path?.nodes} pathEdges={path?.edges} />
                  </Card>
                )}
                <Card size="small" title={t('材料清单', 'Materials')}>
                  <MaterialsTable view={v} />
                  {(v.certificateUses ?? []).length > 0 && (
                    <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                      {t('电子证照调取：', 'Certificate lookups: ')}
                      {(v.certificateUses ?? []).map((u, i) => (
                        <Tag key={i} color={u.outcome === 'Found' ? 'blue' : 'default'}>{/* the material it stands for, not the catalog's type code */}{u.material ?? u.certificateType ?? '—'} {say(certificateOutcomeNames, u.outcome, lang)}</Tag>
                      ))}
                    </Typography.Paragraph>
                  )}
                  <CaseUploads caseId={v.caseId} />
                </Card>
                {v.parallel && <ParallelCard parallel={v.parallel} />}
                <HandlingCard steps={v.steps} pauses={v.pauses} corrections={v.corrections} notices={v.applicantNotices} />
              </Space>
            </Col>
            <Col xs={24} lg={8}>
              <Space direction="vertical" style={{ width: '100%' }} size="middle">
                {v.incidents.length > 0 && (
                  <Card size="small" title={t('异常', 'Incidents')} data-testid="incidents">
                    {v.incidents.map((i) => (
                      <Alert
                        key={i.incidentId}
                        style={{ marginBottom: 8 }}
                        type={i.status === 'Resolved' ? 'success' : 'error'}
                        message={<span>{i.stepName ?? i.step} · {i.status === 'Resolved' ? t('已重试解决', 'resolved') : t('待重试', 'waiting for a retry')} · {t(`第 ${i.attempts} 次`, `attempt ${i.attempts}`)}</span>}
                        action={hasRole(user, 'auditor') && i.status === 'Open' ? <RetryIncidentButton incident={{ incidentId: i.incidentId, caseId: v.caseId }} /> : undefined}
                        description={<span>{i.message}<br /><Typography.Text type="secondary">{moment(i.occurredAt)} · {i.actor}{i.resolvedAt ? ` · ${t('解决', 'resolved')} ${moment(i.resolvedAt)} ${i.resolvedBy ?? ''}` : ''}</Typography.Text></span>}
                      />
                    ))}
                  </Card>
                )}
                {actionable.map((s) => <TaskPanel key={s.taskId} caseId={v.caseId} step={s} />)}
                <Card size="small" title={t('当前环节', 'Current steps')}>
                  {v.currentSteps.length === 0 ? <Typography.Text type="secondary">{t('无待办', 'None')}</Typography.Text> : v.currentSteps.map((s) => <div key={s.taskId}>{s.stepName} · {s.department} · {s.status === 'Claimed' && s.assignee ? s.assignee : say(taskStatusNames, s.status, lang)} · {t('期限', 'due')} {moment(s.dueAt)}<ProvisionalMark provisional={s.dueProvisional} /></div>)}
                </Card>
                <Card size="small" title={t('文书', 'Notices')}><CaseDocuments caseId={v.caseId} /></Card>
                {v.handOver && <HandOverCard view={v} />}
                {v.waybill && <WaybillCard waybill={v.waybill} />}
                {v.rating && <RatingCard rating={v.rating} />}
                {v.result && (
                  <Card size="small" title={t('办理结果', 'Result')} data-testid="result">
                    <div>{v.result.name ?? '—'}{v.result.number ? ` · ${v.result.number}` : ''}</div>
                    {v.result.issuedAt && <Typography.Text type="secondary">{t('出证时间', 'Issued')} {moment(v.result.issuedAt)}</Typography.Text>}
                    {v.result.error && <Alert type="warning" message={t('出证失败：', 'Not issued: ') + v.result.error} />}
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

const stepColor = (action?: string) =>
  action === 'pass' || action === 'Accepted' || action === 'ToleranceAccepted' || action === 'AllApproved'
    ? 'green'
    : action === 'reject' || action === 'NotAccepted' || action === 'Rejected'
      ? 'red'
      : action === 'return' || action === 'requestCorrection' || action === 'PartiallyApproved' || action === 'Withdrawn'
        ? 'orange'
        : 'blue';

export function ParallelCard({ parallel }: { parallel: NonNullable<CaseView['parallel']> }) {
  const t = useT();
  const { lang } = useSession();
  const decisions = parallel.decisions ?? [];
  const rows: { department: string; decision?: ParallelDecision }[] = (parallel.members ?? []).map((department) => ({ department, decision: decisions.find((x) => x.department === department) }));
  return (
    <Card size="small" title={t('并联审批', 'Parallel approval')}>
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('牵头部门', 'Lead')}>{parallel.lead ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('答复期限', 'Answer by')}>{moment(parallel.dueAt)}</Descriptions.Item>
        <Descriptions.Item label={t('结果', 'Outcome')}>{parallel.outcome ? say(stepActionNames, parallel.outcome, lang) : t('待汇总', 'pending')}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        pagination={false}
        rowKey="department"
        data-testid="parallel"
        dataSource={rows}
        columns={[
          { title: t('部门', 'Department'), dataIndex: 'department' },
          {
            title: t('意见', 'Decision'),
            render: (_, { decision: d }) =>
              d?.decision ? (
                <Tag color={d.decision === 'disagree' ? 'red' : 'green'}>{say(stepActionNames, d.decision, lang)}{d.deemed ? t('（视为同意）', ' (deemed)') : ''}</Tag>
              ) : (
                <Tag>{t('待答复', 'waiting')}</Tag>
              ),
          },
          { title: t('理由', 'Reasons'), render: (_, { decision: d }) => d?.reasons ?? '—' },
          { title: t('答复人', 'By'), render: (_, { decision: d }) => (d ? (d.by ?? (d.deemed ? t('系统', 'system') : '—')) : '—') },
          { title: t('时间', 'At'), render: (_, { decision: d }) => moment(d?.at) },
        ]}
      />
    </Card>
  );
}

export function WaybillCard({ waybill }: { waybill: WaybillRecord }) {
  const t = useT();
  const { lang } = useSession();
  const history = waybill.history ?? [];
  return (
    <Card size="small" title={t('邮寄', 'Mail')} data-testid="waybill">
      <div>{waybill.number ?? '—'} · <Tag>{say(waybillStatusNames, waybill.status, lang)}</Tag></div>
      {waybill.address && <Typography.Text type="secondary">{t('寄往：', 'To: ')}{waybill.address}</Typography.Text>}
      {history.length > 0 && (
        <Timeline
          style={{ marginTop: 12, marginBottom: 0 }}
          data-testid="waybill-history"
          items={history.map((e) => ({
            color: e.status === 'delivered' ? 'green' : e.status === 'failed' || e.status === 'returned' ? 'red' : 'blue',
            content: <span>{say(waybillStatusNames, e.status, lang)} · {moment(e.at)}{e.detail ? ` · ${e.detail}` : ''}</span>,
          }))}
        />
      )}
      {waybill.problem && <Alert type="warning" message={waybill.problem} />}
    </Card>
  );
}

const levelName = (level: number | null | undefined) => (level ? (ratingNames[level - 1] ?? String(level)) : '—');

export function RatingCard({ rating }: { rating: RatingRecord }) {
  const t = useT();
  const { lang } = useSession();
  const r = rating.rectification;
  return (
    <Card size="small" title={t('好差评', 'Rating')} data-testid="rating">
      {rating.level ? (
        <Space direction="vertical" size={4} style={{ width: '100%' }}>
          <span>
            <Tag color={rating.bad ? 'red' : 'green'}>{t(levelName(rating.level), `level ${rating.level}`)}</Tag>
            {rating.defaulted && <Tag>{t('默认评价', 'defaulted')}</Tag>}
            {rating.comment}
          </span>
          <Typography.Text type="secondary">{t('评价时间', 'Rated')} {moment(rating.ratedAt)} · {t('上报', 'Reported')} {rating.reportedAt ? moment(rating.reportedAt) : t('未上报', 'not yet')}</Typography.Text>
          {rating.reportError && <Alert type="warning" message={t('上报失败：', 'Report failed: ') + rating.reportError} />}
        </Space>
      ) : (
        <Typography.Text type="secondary">{t('等待申请人评价', 'Waiting for the applicant')}</Typography.Text>
      )}
      {rating.invitationError && <Alert type="warning" message={t('邀评失败：', 'Invitation failed: ') + rating.invitationError} />}
      {r && (
        <div style={{ marginTop: 8 }} data-testid="rectification">
          <Typography.Text strong>{t('差评整改', 'Rectification')}</Typography.Text>{' '}
          <Tag color={r.closedAt ? 'green' : 'orange'}>{r.closedAt ? t('已办结', 'closed') : t('整改中', 'open')}</Tag>
          <div>{t('责任部门：', 'Assigned to: ')}{r.assignedTo ?? '—'} · {t('期限', 'due')} {moment(r.dueAt)}</div>
          {(r.stages ?? []).map((st, i) => (
            <div key={i}>
              <Tag>{say(rectificationStageNames, st.stage, lang)}</Tag>
              {st.resolution ? `${say(resolutionNames, st.resolution, lang)} · ` : ''}
              {st.note ?? ''} · {st.by ?? '—'} · {moment(st.at)}
            </div>
          ))}
          {r.rerating && <div>{t('再评价：', 'Re-rated: ')}{t(levelName(r.rerating.level), `level ${r.rerating.level ?? '—'}`)}{r.rerating.comment ? ` · ${r.rerating.comment}` : ''}</div>}
          {r.closedAt && <div>{t('办结时间：', 'Closed: ')}{moment(r.closedAt)}</div>}
        </div>
      )}
    </Card>
  );
}

/** What happened (办理过程): each step with its department, handler, action, times and opinion; the clock's pauses. */
export function HandlingCard({ steps, pauses, corrections, notices = [] }: { steps: CaseFileStep[]; pauses: Pause[]; corrections: CorrectionNotice[]; notices?: CaseView['applicantNotices'] }) {
  const t = useT();
  const { lang } = useSession();
  const nameOf = usePersonName();
  return (
    <Card size="small" title={t('办理过程', 'What happened')}>
      {steps.length === 0 ? <Empty description={t('尚无办理记录', 'Nothing yet')} /> : (
        <Timeline
          data-testid="timeline"
          items={steps.map((s) => ({
            color: stepColor(s.action),
            content: (
              <span>
                <b>{s.step ?? '—'}</b> · {s.department ?? '—'} · {nameOf(s.handler)} · <Tag style={{ marginInlineEnd: 0 }}>{say(stepActionNames, s.action, lang)}</Tag>
                <br />
                <Typography.Text type="secondary">{moment(s.start)} ~ {s.end ? moment(s.end) : t('办理中', 'open')}</Typography.Text>
                {s.returnTo && <><br />{t('退回至：', 'Returned to: ')}{s.returnTo}</>}
                {s.assignee && <><br />{t('转给：', 'Transferred to: ')}{nameOf(s.assignee)}</>}
                {s.materials && s.materials.length > 0 && <><br />{t('补正材料：', 'Materials asked for: ')}{s.materials.join(t('、', ', '))}</>}
                {s.opinion && <><br />{t('意见：', 'Opinion: ')}{s.opinion}</>}
              </span>
            ),
          }))}
        />
      )}
      {corrections.length > 0 && (
    <Typography.Paragraph data-testid="corrections">
      {t('补正告知：', 'Corrections asked for: ')}
      {corrections.map((c, i) => (
        <Tag key={i} color="orange">{moment(c.notifiedAt)} {c.step ?? t('窗口', 'window')}：{(c.materials ?? []).join(t('、', ', '))}</Tag>
      ))}
    </Typography.Paragraph>
      )}
      {pauses.length > 0 && (
        <Typography.Paragraph data-testid="pauses">
          {t('暂停计时：', 'Clock paused: ')}
          {pauses.map((p, i) => (
            <Tag key={i} color={p.end ? 'default' : 'orange'}>
              {say(pauseNames, p.kind, lang)} {p.start ?? '—'} ~ {p.end ?? t('至今', 'now')}{p.reason ? `：${p.reason}` : ''}{p.legalBasis ? `（${p.legalBasis}）` : ''}
            </Tag>
          ))}
        </Typography.Paragraph>
      )}
      {notices.length > 0 && (
        <Typography.Paragraph data-testid="applicant-notices">
          {t('告知申请人：', 'Told the applicant: ')}
          {notices.map((n, i) => (
            <span key={i} style={{ display: 'block' }}>{moment(n.at)} <Tag>{n.kind}</Tag>{n.text}</span>
          ))}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
