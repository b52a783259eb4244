// 试运行: the designer runs the definition it holds (saved or not) on a sample application. The host runs it with the
// simulators and a clock that jumps to each decision and timer, and stores nothing; the panel shows the path (and
// hands it to the page to highlight on the diagram), each human step's task with its due date, and the journal.
import { Alert, Button, Card, Checkbox, Col, DatePicker, Descriptions, Form, Input, InputNumber, Row, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { client, errorText } from '../api';
import type { components } from '../api.gen';
import { moment } from '../format';
import { useT } from '../session';

import { matterOf, type Json } from './definition';

export type { Json } from './definition';

export type DryRunResult = components['schemas']['DryRunResult'];
type DryRunDecision = components['schemas']['DryRunDecision'];

/** What the panel reads of the designer lookups (GET /api/designer/lookups), when the page has them. */
export interface DryRunLookups {
  caseFields?: { name: string; label?: string; type?: string }[];
}

export interface DryRunPanelProps {
  definition: Json;
  lookups?: DryRunLookups;
  /** The activity ids the run passed, in order, for the page to highlight on the diagram. */
  onPath?(activityIds: string[]): void;
}

/** The human steps whose decision the table lets one choose, by activity type. */
const humanTypes: Record<string, { zh: string; en: string; actions: { value: string; zh: string; en: string }[] }> = {
  'GovFlow.ReviewTask': {
    zh: '审查审批',
    en: 'Review',
    actions: [
      { value: 'approve', zh: '通过', en: 'Approve' },
      { value: 'reject', zh: '不予通过', en: 'Reject' },
      { value: 'return', zh: '退回', en: 'Return' },
    ],
  },
  'GovFlow.Acceptance': {
    zh: '受理',
    en: 'Acceptance',
    actions: [
      { value: 'accept', zh: '受理', en: 'Accept' },
      { value: 'notAccept', zh: '不予受理', en: 'Do not accept' },
    ],
  },
  'GovFlow.ParallelApproval': {
    zh: '并联审批',
    en: 'Parallel approval',
    actions: [
      { value: 'agree', zh: '同意', en: 'Agree' },
      { value: 'disagree', zh: '不同意', en: 'Disagree' },
    ],
  },
  'GovFlow.ToleranceGap': { zh: '容缺补齐', en: 'Tolerance', actions: [] },
};

interface HumanStep {
  id: string;
  name: string;
  type: string;
}

interface Row {
  outcome: string;
  afterWorkingDays: number | null;
}

interface Material {
  name?: string;
  required?: boolean;
  condition?: string | null;
}

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);


/** The flow's human steps in the order they stand in the root flowchart. */
export function humanSteps(definition: Json): HumanStep[] {
  return list(obj(definition.root).activities)
    .map(obj)
    .filter((a) => typeof a.type === 'string' && a.type in humanTypes)
    .map((a) => ({ id: String(a.id), name: String(a.name ?? stepNameOf(a) ?? a.id), type: String(a.type) }));
}

const stepNameOf = (activity: Json) => obj(obj(activity.stepName).expression).value as string | undefined;

// 18-digit resident ID numbers carry a GB 11643 check digit; a sample must pass the host's check.
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export function identityNumber(body17: string): string {
  const sum = [...body17].reduce((s, c, i) => s + Number(c) * weights[i], 0);
  return body17 + '10X98765432'[sum % 11];
}

const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const given = ['秀英', '建国', '桂兰', '志强', '淑珍', '德明', '玉兰', '国华'];

/** A sample applicant like the simulated city's people: a Shenzhen Nanshan resident with a valid ID number. */
export function sampleApplicant(seed = 0, birthYear = 1941) {
  const birth = `${birthYear}${String((seed % 12) + 1).padStart(2, '0')}${String((seed % 28) + 1).padStart(2, '0')}`;
  return {
    name: surnames[seed % surnames.length] + given[seed % given.length],
    idType: '111',
    idNumber: identityNumber(`440305${birth}${String(100 + (seed % 900)).padStart(3, '0')}`),
    phone: `1390000${String(1000 + seed).slice(-4)}`,
    address: '广东省深圳市南山区粤海街道科技园路1号',
  };
}

/** Form fields prefilled from the case fields the rules may read: a number (age) from the sample, yes/no as no. */
function sampleData(lookups: DryRunLookups | undefined, birthYear: number, start: Dayjs): Json {
  const data: Json = {};
  for (const f of lookups?.caseFields ?? []) {
    if (f.name.includes('.')) continue;
    if (f.name === 'age') data.age = start.year() - birthYear;
    else if (f.type === 'boolean') data[f.name] = false;
  }
  if (!('age' in data)) data.age = start.year() - birthYear;
  return data;
}

export function DryRunPanel({ definition, lookups, onPath }: DryRunPanelProps) {
  const t = useT();
  const matter = matterOf(definition);
  const materials = list(matter.materials).map((m) => m as Material);
  const steps = useMemo(() => humanSteps(definition), [definition]);
  const birthYear = 1941;
  const [applicant, setApplicant] = useState(() => sampleApplicant(7, birthYear));
  const [startAt, setStartAt] = useState<Dayjs>(() => dayjs().hour(9).minute(30).second(0));
  const [ticked, setTicked] = useState<string[]>(() => materials.filter((m) => m.required !== false && !m.condition).map((m) => m.name ?? ''));
  const [dataText, setDataText] = useState(() => JSON.stringify(sampleData(lookups, birthYear, dayjs()), null, 2));
  const [channel, setChannel] = useState('window');
  const [rows, setRows] = useState<Record<string, Row>>({});
  const [stopAtUndecided, setStopAtUndecided] = useState(false);
  const [dataError, setDataError] = useState<string | null>(null);

  const run = useMutation({
    mutationFn: async (): Promise<DryRunResult> => {
      const decisions: DryRunDecision[] = steps
        .filter((s) => rows[s.id]?.outcome)
        .map((s) => ({ step: s.id, outcome: rows[s.id].outcome, afterWorkingDays: rows[s.id].afterWorkingDays ?? null, opinion: null, returnTo: null }));
      const body = {
        definition,
        application: { applicant, materials: ticked, data: JSON.parse(dataText), channel },
        startAt: startAt.format(),
        decisions,
        stopAtUndecided,
      };
      // The definition travels whole and raw (the host reads it as an import), hence the cast of the JSON object.
      const { data } = await client.POST('/api/definitions/dry-run', { body: body as never });
      return data as DryRunResult;
    },
    onSuccess: (r) => onPath?.(r.path.map((p) => p.activityId)),
  });

  const start = () => {
    try {
      JSON.parse(dataText);
      setDataError(null);
    } catch {
      setDataError(t('表单数据不是有效的 JSON', 'The form data is not valid JSON'));
      return;
    }
    run.mutate();
  };

  const result = run.data;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="dryrun-panel">
      <Typography.Paragraph type="secondary">
        {t(
          '用样例申请试运行当前编辑的流程（未保存的修改也包括在内）：电子证照、短信、邮寄和好差评由模拟服务应答，时钟按工作日跳转到每个办理决定和定时器；不创建办件，不占用办件编号，不发送任何消息。',
          'Runs the flow being edited (unsaved changes included) on a sample application: certificates, SMS, mail and ratings are answered by the simulators and the clock jumps working days to each decision and timer. No case is created, no case number used, nothing sent.',
        )}
      </Typography.Paragraph>
      <Card size="small" title={t('样例申请', 'Sample application')}>
        <Form layout="vertical" size="small">
          <Row gutter={12}>
            <Col span={6}>
              <Form.Item label={t('申请人姓名', 'Applicant name')}>
                <Input data-testid="dryrun-applicant-name" value={applicant.name} onChange={(e) => setApplicant({ ...applicant, name: e.target.value })} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item label={t('居民身份证号码', 'Resident ID number')}>
                <Input data-testid="dryrun-applicant-idNumber" value={applicant.idNumber} onChange={(e) => setApplicant({ ...applicant, idNumber: e.target.value })} />
              </Form.Item>
            </Col>
            <Col span={5}>
              <Form.Item label={t('手机号', 'Mobile')}>
                <Input data-testid="dryrun-applicant-phone" value={applicant.phone} onChange={(e) => setApplicant({ ...applicant, phone: e.target.value })} />
              </Form.Item>
            </Col>
            <Col span={5}>
              <Form.Item label={t('办理渠道', 'Channel')}>
                <Select
                  data-testid="dryrun-channel"
                  value={channel}
                  onChange={setChannel}
                  options={[
                    { value: 'window', label: t('窗口', 'Window') },
                    { value: 'pc', label: t('网上办事大厅', 'Online') },
                    { value: 'mobile', label: t('移动端', 'Mobile app') },
                    { value: 'courier', label: t('邮寄', 'By post') },
                    { value: 'selfService', label: t('自助终端', 'Self-service') },
                  ]}
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label={t('送达地址', 'Address')}>
            <Input data-testid="dryrun-applicant-address" value={applicant.address} onChange={(e) => setApplicant({ ...applicant, address: e.target.value })} />
          </Form.Item>
          <Form.Item label={t('提交的材料', 'Materials handed in')}>
            <Checkbox.Group
              data-testid="dryrun-materials"
              value={ticked}
              onChange={(v) => setTicked(v as string[])}
              options={materials.map((m) => ({ value: m.name ?? '', label: m.condition ? `${m.name}（${t('有条件', 'conditional')}）` : m.name }))}
            />
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item label={t('表单数据（规则读取的字段，JSON）', 'Form data (fields the rules read, JSON)')} validateStatus={dataError ? 'error' : undefined} help={dataError ?? undefined}>
                <Input.TextArea data-testid="dryrun-data" rows={4} value={dataText} onChange={(e) => setDataText(e.target.value)} style={{ fontFamily: 'monospace' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item label={t('收件时间', 'Received at')}>
                <DatePicker data-testid="dryrun-start" showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" value={startAt} onChange={(d) => d && setStartAt(d)} allowClear={false} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card size="small" title={t('各环节的办理决定', 'Decision at each step')}>
        <Table<HumanStep>
          data-testid="dryrun-decisions"
          size="small"
          pagination={false}
          rowKey="id"
          dataSource={steps}
          locale={{ emptyText: t('流程中没有人工办理环节', 'The flow has no human step') }}
          columns={[
            { title: t('环节', 'Step'), dataIndex: 'name' },
            { title: t('类型', 'Type'), dataIndex: 'type', render: (type: string) => t(humanTypes[type].zh, humanTypes[type].en) },
            {
              title: t('办理决定', 'Decision'),
              render: (_, s) => (
                <Select
                  data-testid={`dryrun-decision-${s.id}`}
                  style={{ minWidth: 160 }}
                  value={rows[s.id]?.outcome ?? ''}
                  onChange={(outcome) => setRows({ ...rows, [s.id]: { afterWorkingDays: rows[s.id]?.afterWorkingDays ?? null, outcome } })}
                  options={[{ value: '', label: t('默认（同意/通过）', 'Default (approve)') }, ...humanTypes[s.type].actions.map((a) => ({ value: a.value, label: t(a.zh, a.en) }))]}
                />
              ),
            },
            {
              title: t('几个工作日后办理', 'Decided after (working days)'),
              render: (_, s) => (
                <InputNumber
                  data-testid={`dryrun-days-${s.id}`}
                  min={0}
                  max={365}
                  placeholder="1"
                  value={rows[s.id]?.afterWorkingDays ?? null}
                  onChange={(v) => setRows({ ...rows, [s.id]: { outcome: rows[s.id]?.outcome ?? '', afterWorkingDays: v } })}
                />
              ),
            },
          ]}
        />
        <Space style={{ marginTop: 12 }}>
          <Checkbox data-testid="dryrun-stop-undecided" checked={stopAtUndecided} onChange={(e) => setStopAtUndecided(e.target.checked)}>
            {t('遇到未指定决定的环节时停下', 'Stop at a step with no decision given')}
          </Checkbox>
          <Button type="primary" data-testid="dryrun-run" loading={run.isPending} onClick={start}>
            {t('试运行', 'Dry run')}
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t(
            '未指定决定的环节按“通过”（或该环节的同意操作）办理，在环节开始后 1 个工作日办理；退回的环节再次到达时按默认办理。申请人即时评价“非常满意”，邮件次日签收。',
            'A step with no decision is approved one working day after it opens; a returned step reached again takes the default. The applicant rates at once (very satisfied); mail is delivered the next day.',
          )}
        </Typography.Paragraph>
      </Card>
      {run.error && (
        <Alert type="error" showIcon title={t('不能试运行', 'Cannot dry run')} description={<span data-testid="dryrun-error">{errorText(run.error)}</span>} />
      )}
      {result && <DryRunResultView result={result} />}
    </Space>
  );
}

const stopColor: Record<string, 'success' | 'info' | 'warning' | 'error'> = {
  finished: 'success',
  waitingForDecision: 'info',
  waitingForEvent: 'warning',
  limit: 'error',
  faulted: 'error',
  invalidDecision: 'error',
};

/** The run's answer: why it stopped, the status and due dates, the path, the tasks, the outside calls and the journal. */
export function DryRunResultView({ result }: { result: DryRunResult }) {
  const t = useT();
  const stop = result.stoppedBecause;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="dryrun-result">
      <Alert
        type={stopColor[stop.code] ?? 'info'}
        showIcon
        data-testid="dryrun-stop"
        title={
          <Space>
            <span>{t('试运行结束：', 'Dry run ended: ')}</span>
            <span>{stop.message}</span>
            <Tag data-testid="dryrun-status">{result.status.name}</Tag>
          </Space>
        }
      />
      <Descriptions size="small" bordered column={2} data-testid="dryrun-due">
        <Descriptions.Item label={t('收件时间', 'Received')}>{moment(result.startedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('模拟时钟停在', 'Simulated clock at')}>{moment(result.endedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('承诺办结期限', 'Promised due')}>{moment(result.dueDates.promised)}</Descriptions.Item>
        <Descriptions.Item label={t('法定办结期限', 'Statutory due')}>{moment(result.dueDates.statutory)}</Descriptions.Item>
        <Descriptions.Item label={t('办结时间', 'Completed')}>{moment(result.dueDates.completedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('是否按期', 'On time')}>
          {result.dueDates.onTime == null ? '—' : result.dueDates.onTime ? <Tag color="green">{t('按期', 'On time')}</Tag> : <Tag color="red">{t('超期', 'Late')}</Tag>}
        </Descriptions.Item>
      </Descriptions>
      <Card size="small" title={t('经过的环节', 'Path taken')}>
        <Timeline
          data-testid="dryrun-path"
          items={result.path.map((p, i) => ({
            key: `${p.activityId}-${i}`,
            content: (
              <span data-activity={p.activityId}>
                {p.name ?? p.activityId} <Typography.Text type="secondary">{moment(p.at)}</Typography.Text>
              </span>
            ),
          }))}
        />
      </Card>
      <Card size="small" title={t('人工办理环节', 'Human tasks')}>
        <Table
          data-testid="dryrun-tasks"
          size="small"
          pagination={false}
          dataSource={result.tasks.map((task, i) => ({ ...task, key: i }))}
          columns={[
            { title: t('环节', 'Step'), dataIndex: 'stepName' },
            { title: t('办理部门', 'Department'), dataIndex: 'department', render: (d?: string | null) => d ?? '—' },
            { title: t('岗位', 'Role'), dataIndex: 'role', render: (r: string) => roleName(r, t) },
            { title: t('开始', 'Opened'), dataIndex: 'createdAt', render: (v: string) => moment(v) },
            { title: t('时限（工作日）', 'Limit (working days)'), dataIndex: 'limitWorkingDays', render: (v?: number | null) => v ?? '—' },
            { title: t('到期', 'Due'), dataIndex: 'dueAt', render: (v?: string | null) => moment(v) },
            { title: t('办理', 'Decision'), dataIndex: 'outcomeName', render: (v?: string | null) => v ?? t('待办理', 'Open') },
            { title: t('办理时间', 'Decided at'), dataIndex: 'completedAt', render: (v?: string | null) => moment(v) },
          ]}
        />
      </Card>
      {result.calls.length > 0 && (
        <Card size="small" title={t('调用的外部服务（模拟）', 'Outside services called (simulated)')}>
          <Table
            data-testid="dryrun-calls"
            size="small"
            pagination={false}
            dataSource={result.calls.map((c, i) => ({ ...c, key: i }))}
            columns={[
              { title: t('时间', 'At'), dataIndex: 'at', render: (v: string) => moment(v) },
              { title: t('服务', 'Service'), dataIndex: 'service' },
              { title: t('操作', 'Operation'), dataIndex: 'operation' },
              { title: t('内容', 'Detail'), dataIndex: 'detail' },
            ]}
          />
        </Card>
      )}
      <Card size="small" title={t('日志', 'Journal')}>
        <Table
          data-testid="dryrun-journal"
          size="small"
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          dataSource={result.journal.map((j, i) => ({ ...j, key: i }))}
          columns={[
            { title: t('时间', 'At'), dataIndex: 'at', render: (v: string) => moment(v) },
            { title: t('操作人', 'Actor'), dataIndex: 'actor' },
            { title: t('环节', 'Activity'), dataIndex: 'activityName', render: (v?: string | null) => v ?? '—' },
            { title: t('事件', 'Event'), dataIndex: 'event' },
            { title: t('说明', 'Detail'), dataIndex: 'detail', render: (v?: string | null) => v ?? '' },
          ]}
        />
      </Card>
    </Space>
  );
}

const roleName = (role: string, t: (zh: string, en: string) => string) =>
  ({ window: t('窗口', 'Window'), reviewer: t('审查员', 'Reviewer'), policy: t('政策', 'Policy') })[role] ?? role;
