import { Alert, App, Button, Card, Checkbox, Col, Descriptions, Empty, Input, Radio, Row, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, post, type Json } from '../lib/api';
import { FlowDiagram } from '../lib/FlowDiagram';
import { readFlow } from '../lib/flow';
import { moment, statusColor, statusNames, type Warning } from '../lib/format';
import { Loadable, useLoad } from '../lib/Page';
import { useSession, useT } from '../lib/session';
import { actionsFor, completeBody, missingFor, type ActionForm } from '../lib/tasks';
import { WarningLight } from './Inbox';

export interface CaseView {
  caseId: string;
  caseNumber: string;
  matterCode: string;
  matterName: string;
  department: string;
  status: string;
  warning: Warning;
  applicant: { name: string; idType: string; idNumber: string; phone?: string; address?: string };
  channel: string;
  receivedAt: string;
  acceptedAt?: string;
  promisedDue?: string;
  statutoryDue?: string;
  completedAt?: string;
  currentSteps: { taskId: string; stepName: string; department: string; role: string; assignee?: string; status: string; dueAt?: string; kind: string; activityId?: string; payload?: Json }[];
  positions: { activityId: string; kind: string }[];
  materials?: Json[];
  pauses?: Json[];
  steps?: Json[];
  parallel?: Json;
  tolerance?: Json;
  certificateUses?: Json[];
  waybill?: Json;
  rating?: Json;
  result?: Json;
  corrections?: Json[];
}

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

function TaskPanel({ view, step, onDone }: { view: CaseView; step: CaseView['currentSteps'][number]; onDone: () => void }) {
  const t = useT();
  const { user } = useSession();
  const { message } = App.useApp();
  const actions = actionsFor(step.kind, step.payload?.stage);
  const [form, setForm] = useState<ActionForm>({ action: actions[0]?.value ?? '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; conflict: boolean }>();
  const kind = actions.find((a) => a.value === form.action);
  const missing = missingFor(kind, form);
  const mine = step.assignee === user?.userName;
  const materialChoices: string[] =
    step.kind === 'GovFlow.ReviewTask' ? (view.materials ?? []).map((m) => m.name as string) : ((step.payload?.materials as string[] | undefined) ?? []);
  const earlierSteps = [...new Set((view.steps ?? []).map((s) => s.step as string))];
  const send = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (!step.assignee) await post(`/api/tasks/${step.taskId}/claim`);
      const body = completeBody(form);
      await post(`/api/tasks/${step.taskId}/complete`, step.kind === 'GovFlow.ParallelOpinion' ? { action: form.action, opinion: body.opinion } : form.action === 'withdraw' ? { action: 'withdraw' } : body);
      message.success(t('已办理', 'Done'));
      onDone();
    } catch (e) {
      const conflict = e instanceof ApiError && e.isConflict;
      setError({ text: conflict ? t('其他人已先办理了这一步：', 'Someone else acted on this step first: ') + (e as Error).message : (e as Error).message, conflict });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={<span>{t('办理', 'Act')}: {step.stepName}</span>} extra={step.assignee ? <Tag color="blue">{step.assignee}</Tag> : <Tag>{t('未签收', 'unclaimed')}</Tag>} data-testid="task-panel">
      {step.assignee && !mine ? (
        <Alert type="info" message={t(`已由 ${step.assignee} 签收`, `Claimed by ${step.assignee}`)} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Radio.Group value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })} data-testid="actions">
            {actions.map((a) => (
              <Radio.Button key={a.value} value={a.value} data-testid={`action-${a.value}`}>{t(a.zh, a.en)}</Radio.Button>
            ))}
          </Radio.Group>
          {kind?.needsMaterials && (
            <div>
              <Typography.Text>{step.kind === 'GovFlow.ReviewTask' ? t('缺少或需补正的材料（一次性告知）：', 'Missing materials (one complete list):') : t('已补交的材料：', 'Materials supplied:')}</Typography.Text>
              <Checkbox.Group style={{ display: 'flex', flexDirection: 'column' }} value={form.materials} onChange={(v) => setForm({ ...form, materials: v as string[] })} options={materialChoices.map((m) => ({ label: m, value: m }))} />
            </div>
          )}
          {kind?.needsAssignee && <Input placeholder={t('转给（用户名）', 'Transfer to (user name)')} value={form.assignee} onChange={(e) => setForm({ ...form, assignee: e.target.value })} />}
          {kind?.asksReturnTo && earlierSteps.length > 0 && (
            <Radio.Group value={form.returnTo} onChange={(e) => setForm({ ...form, returnTo: e.target.value })} options={earlierSteps.map((s) => ({ label: s, value: s }))} />
          )}
          {kind && kind.value !== 'supply' && kind.value !== 'withdraw' && (
            <Input.TextArea rows={3} maxLength={2000} showCount placeholder={kind.needsOpinion ? t('意见（必填）', 'Opinion (required)') : t('意见（可选）', 'Opinion (optional)')} value={form.opinion} onChange={(e) => setForm({ ...form, opinion: e.target.value })} data-testid="opinion" />
          )}
          {error && <Alert type={error.conflict ? 'warning' : 'error'} showIcon message={error.text} data-testid="task-error" action={error.conflict ? <Button size="small" onClick={onDone}>{t('刷新', 'Reload')}</Button> : undefined} />}
          <Button type="primary" danger={kind?.danger} disabled={missing.length > 0} loading={busy} onClick={send} data-testid="submit-action">
            {missing.length ? t('请填写：', 'Still needed: ') + missing.map((m) => ({ opinion: t('意见', 'opinion'), materials: t('材料', 'materials'), assignee: t('办理人', 'handler'), action: t('操作', 'action') })[m]).join('、') : t('提交', 'Submit')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

export function CasePage() {
  const { id } = useParams();
  const [search] = useSearchParams();
  const t = useT();
  const { user } = useSession();
  const view = useLoad(() => api<CaseView>(`/api/cases/${id}`), [id]);
  const flowJson = useLoad(() => (view.data ? api<Json>(`/api/matters/${view.data.matterCode}/flow`) : Promise.resolve(undefined)), [view.data?.matterCode]);
  const matter = useLoad(() => (view.data ? api<{ matter: Json }>(`/api/matters/${view.data.matterCode}`) : Promise.resolve(undefined)), [view.data?.matterCode]);
  const flow = useMemo(() => (flowJson.data ? readFlow(flowJson.data) : undefined), [flowJson.data]);
  const v = view.data;
  const actionable = (v?.currentSteps ?? []).filter(
    (s) => (user?.role === 'window' || user?.role === 'reviewer') && (s.department === user?.department || s.assignee === user?.userName),
  );
  const focus = search.get('task');
  actionable.sort((a, b) => (a.taskId === focus ? -1 : b.taskId === focus ? 1 : 0));
  const m = matter.data?.matter;
  return (
    <Loadable loading={view.loading && !v} error={view.error}>
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
                    <Descriptions.Item label={t('渠道', 'Channel')}>{v.channel}</Descriptions.Item>
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
                        <Tag key={i} color={u.outcome === 'Found' ? 'blue' : 'default'}>{u.certificateType} {u.outcome}{u.material ? ` → ${u.material}` : ''}</Tag>
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
                        { title: t('意见', 'Decision'), dataIndex: 'decision', render: (d?: string, r?: Json) => (d ? <Tag color={d === 'disagree' ? 'red' : 'green'}>{d}{r?.deemed ? t('（视为同意）', ' (deemed)') : ''}</Tag> : <Tag>{t('待答复', 'waiting')}</Tag>) },
                        { title: t('理由', 'Reasons'), dataIndex: 'reasons' },
                        { title: t('时间', 'At'), dataIndex: 'at', render: moment },
                      ]}
                    />
                  </Card>
                )}
                <Card size="small" title={t('办理过程', 'What happened')}>
                  {(v.steps ?? []).length === 0 ? <Empty description={t('尚无办理记录', 'Nothing yet')} /> : (
                    <Timeline items={(v.steps ?? []).map((s) => ({ color: s.action === 'pass' ? 'green' : s.action === 'reject' ? 'red' : 'blue', children: <span><b>{s.step}</b> · {s.handler} · {s.action} · {moment(s.end)}<br />{s.opinion}</span> }))} data-testid="timeline" />
                  )}
                  {(v.pauses ?? []).length > 0 && (
                    <Typography.Paragraph>{t('暂停计时：', 'Clock paused: ')}{(v.pauses ?? []).map((p, i) => <Tag key={i}>{p.kind} {p.start} ~ {p.end ?? t('至今', 'now')}：{p.reason}</Tag>)}</Typography.Paragraph>
                  )}
                </Card>
              </Space>
            </Col>
            <Col xs={24} lg={8}>
              <Space direction="vertical" style={{ width: '100%' }} size="middle">
                {actionable.map((s) => <TaskPanel key={s.taskId} view={v} step={s} onDone={view.reload} />)}
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
                      <Descriptions.Item label={t('法定时限', 'Statutory')}>{m.statutoryLimit?.value} {m.statutoryLimit?.unit}</Descriptions.Item>
                      <Descriptions.Item label={t('承诺时限', 'Promised')}>{m.promisedLimit?.value} {m.promisedLimit?.unit}</Descriptions.Item>
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
