// The matter editor: every standard element GovFlow models, as forms in the hall's words. It edits the matter JSON by
// path (matterModel.ts), so what it does not know is kept; each validator problem is shown at its field.
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Tag, Tooltip } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { createContext, useContext, useRef, type ReactNode } from 'react';
import { useT } from '../session';
import {
  fieldOf, getIn, insertAt, matterChoices, moveItem, problemsByField, setIn, testKey,
  type CaseField, type DesignerLookups, type MatterPath, type Problem, type ServiceMatter,
} from './matterModel';

/** What the matter form edits and offers. */
export interface MatterFormProps {
  /** The matter as stored in the definition (customProperties['govflow:matter']). */
  matter: ServiceMatter;
  /** Called with an updated copy on every change; properties the form does not know are kept. */
  onChange: (matter: ServiceMatter) => void;
  /** The validator's problems; those with a field are shown at it, the rest are left to the flow editor. */
  problems: Problem[];
  /** Departments, certificate types, case fields and code tables to pick from. */
  lookups: DesignerLookups;
  /** Shows the matter without letting it change (a published version). */
  readOnly?: boolean;
}

interface Editing {
  matter: ServiceMatter;
  set: (path: MatterPath, value: unknown) => void;
  problems: Map<string, Problem[]>;
  claimed: Set<string>;
  readOnly: boolean;
  lookups: DesignerLookups;
}

const EditingContext = createContext<Editing | null>(null);
const useEditing = () => useContext(EditingContext)!;

const key = (path: MatterPath) => testKey(fieldOf(path));

/** The problems shown at an item: its own field, the ones it names, and (for a list or a group) those inside it. */
function useProblemsAt(field: string, also: readonly string[], inside: boolean) {
  const { problems, claimed } = useEditing();
  const found: Problem[] = [];
  for (const [f, list] of problems) {
    if (f === field || also.includes(f) || (inside && (f.startsWith(`${field}[`) || f.startsWith(`${field}.`)))) {
      found.push(...list);
      claimed.add(f);
    }
  }
  return found;
}

function Item({ path, label, also = [], inside = false, children }: { path: MatterPath; label: ReactNode; also?: readonly string[]; inside?: boolean; children: ReactNode }) {
  const field = fieldOf(path);
  const found = useProblemsAt(field, also, inside);
  return (
    <Form.Item
      label={label}
      validateStatus={found.length ? 'error' : undefined}
      help={found.length ? <ProblemTexts problems={found} /> : undefined}
      style={{ marginBottom: 12 }}
    >
      {children}
    </Form.Item>
  );
}

function ProblemTexts({ problems }: { problems: Problem[] }) {
  return <>{problems.map((p, i) => <div key={i} data-testid={`problem-${testKey(p.field ?? '')}`}>{p.message}</div>)}</>;
}

function TextField({ path, label, optional = false, area = false }: { path: MatterPath; label: ReactNode; optional?: boolean; area?: boolean }) {
  const { matter, set, readOnly } = useEditing();
  const value = (getIn(matter, path) as string | null | undefined) ?? '';
  const change = (text: string) => set(path, optional && text === '' ? undefined : text);
  return (
    <Item path={path} label={label}>
      {area
        ? <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} value={value} disabled={readOnly} onChange={(e) => change(e.target.value)} data-testid={`matter-${key(path)}`} />
        : <Input value={value} disabled={readOnly} onChange={(e) => change(e.target.value)} data-testid={`matter-${key(path)}`} />}
    </Item>
  );
}

function NumberField({ path, label, min = 0, suffix, also }: { path: MatterPath; label: ReactNode; min?: number; suffix?: string; also?: string[] }) {
  const { matter, set, readOnly } = useEditing();
  return (
    <Item path={path} label={label} also={also}>
      <InputNumber min={min} precision={0} value={(getIn(matter, path) as number | undefined) ?? 0} disabled={readOnly} suffix={suffix}
        onChange={(v) => set(path, v ?? 0)} data-testid={`matter-${key(path)}`} />
    </Item>
  );
}

function SwitchField({ path, label }: { path: MatterPath; label: ReactNode }) {
  const { matter, set, readOnly } = useEditing();
  return (
    <Item path={path} label={label}>
      <Switch checked={getIn(matter, path) === true} disabled={readOnly} onChange={(v) => set(path, v)} data-testid={`matter-${key(path)}`} />
    </Item>
  );
}

function SelectField({ path, label, options, optional = false, also }: { path: MatterPath; label: ReactNode; options: { value: string; label: string }[]; optional?: boolean; also?: string[] }) {
  const { matter, set, readOnly } = useEditing();
  const t = useT();
  const value = getIn(matter, path) as string | null | undefined;
  // A value the lists do not know (typed in a file) is shown as it is rather than dropped.
  const all = value && !options.some((o) => o.value === value) ? [...options, { value, label: value }] : options;
  return (
    <Item path={path} label={label} also={also}>
      <Select showSearch optionFilterProp="label" allowClear={optional} value={value ?? undefined} disabled={readOnly} options={all}
        placeholder={t('请选择', 'Pick')} onChange={(v) => set(path, v ?? undefined)} data-testid={`matter-${key(path)}`} style={{ minWidth: 200 }} />
    </Item>
  );
}

/** 受理范围 (通办): which halls may accept the matter; a list of region codes when the scope is listed regions. */
function AcceptanceField() {
  const { matter, set, readOnly } = useEditing();
  const t = useT();
  const scope = getIn(matter, ['acceptance']) as { kind?: string; regions?: string[] } | undefined;
  return (
    <>
      <Item path={['acceptance', 'kind']} label={t('受理范围', 'Where it may be accepted')} also={['acceptance']}>
        <Select allowClear value={scope?.kind ?? undefined} disabled={readOnly} options={matterChoices(t).acceptanceKind} style={{ minWidth: 240 }}
          placeholder={t('不限（任一大厅）', 'Any hall')} data-testid="matter-acceptance-kind"
          onChange={(v?: string) => set(['acceptance'], v ? { kind: v, regions: v === 'regions' ? scope?.regions ?? [] : [] } : undefined)} />
      </Item>
      {scope?.kind === 'regions' && (
        <TextList path={['acceptance', 'regions']} label={t('行政区划代码（6 位，市级代码含其下各区）', 'Region codes (six digits; a city code covers its districts)')} addLabel={t('添加地区', 'Add a region')} />
      )}
    </>
  );
}

/** A time limit: a number and its unit (工作日, 自然日, 工作小时). */
function LimitField({ path, label }: { path: MatterPath; label: ReactNode }) {
  const { matter, set, readOnly, lookups } = useEditing();
  const t = useT();
  const limit = (getIn(matter, path) as { value?: number; unit?: string } | undefined) ?? {};
  const field = fieldOf(path);
  return (
    <Item path={path} label={label} also={[`${field}.value`, `${field}.unit`]}>
      <Space.Compact>
        <InputNumber min={0} precision={0} value={limit.value ?? 0} disabled={readOnly} onChange={(v) => set([...path, 'value'], v ?? 0)}
          data-testid={`matter-${key(path)}-value`} aria-label={t('时限', 'Limit')} />
        <Select value={limit.unit ?? 'WD'} disabled={readOnly} onChange={(v) => set([...path, 'unit'], v)} style={{ width: 120 }}
          options={lookups.timeUnits.map((u) => ({ value: u.code, label: t(u.name, u.code) }))} data-testid={`matter-${key(path)}-unit`} />
      </Space.Compact>
    </Item>
  );
}

/** 绿色通道's shorter promised limit: absent unless switched on (a matter without one promises priority applicants the usual limit). */
function PriorityLimitField() {
  const { matter, set, readOnly } = useEditing();
  const t = useT();
  const path: MatterPath = ['priorityPromisedLimit'];
  const label = t('绿色通道承诺时限', 'Priority promised limit');
  if (getIn(matter, path) == null)
    return (
      <Item path={path} label={label}>
        <Switch checked={false} disabled={readOnly} onChange={() => set(path, { value: 1, unit: 'WD' })} data-testid="matter-priority-limit-on" />
      </Item>
    );
  return (
    <Space align="end">
      <LimitField path={path} label={label} />
      <Switch checked disabled={readOnly} onChange={() => set(path, null)} style={{ marginBottom: 18 }} data-testid="matter-priority-limit-off" />
    </Space>
  );
}

const departmentOptions = (lookups: DesignerLookups) => lookups.departments.map((d) => ({ value: d.name, label: d.name }));
const tableOptions = (table: Record<string, string>) => Object.entries(table).map(([value, label]) => ({ value, label: `${value} ${label}` }));

/** A JavaScript condition with the case fields offered as chips that insert their name at the caret. */
function ConditionField({ path, label, fields }: { path: MatterPath; label: ReactNode; fields: CaseField[] }) {
  const { matter, set, readOnly } = useEditing();
  const t = useT();
  const ref = useRef<TextAreaRef>(null);
  const value = (getIn(matter, path) as string | null | undefined) ?? '';
  // Where the caret was when the text area was last used; a chip clicked before that goes at the end.
  const caret = useRef<{ start: number; end: number } | null>(null);
  const remember = () => {
    const area = ref.current?.resizableTextArea?.textArea;
    if (area) caret.current = { start: area.selectionStart, end: area.selectionEnd };
  };
  const insert = (name: string) => {
    const area = ref.current?.resizableTextArea?.textArea;
    const next = insertAt(value, name, caret.current?.start, caret.current?.end);
    set(path, next.value);
    caret.current = { start: next.caret, end: next.caret };
    requestAnimationFrame(() => { area?.focus(); area?.setSelectionRange(next.caret, next.caret); });
  };
  return (
    <Item path={path} label={label}>
      <Input.TextArea ref={ref} autoSize={{ minRows: 1, maxRows: 4 }} value={value} disabled={readOnly} spellCheck={false}
        style={{ fontFamily: 'monospace' }} placeholder={t('JavaScript 表达式，例如 age >= 80 && onMinimumAllowance', 'A JavaScript expression, e.g. age >= 80')}
        onSelect={remember} onKeyUp={remember} onClick={remember}
        onChange={(e) => set(path, e.target.value === '' ? undefined : e.target.value)} data-testid={`matter-${key(path)}`} />
      {!readOnly && (
        <div style={{ marginTop: 4 }} data-testid={`matter-${key(path)}-fields`}>
          {fields.map((f) => (
            // The chip says what the field is; a click writes its name, which the condition reads.
            <Tooltip key={f.name} title={f.name}>
              <Tag style={{ cursor: 'pointer', marginBottom: 4 }} onClick={() => insert(f.name)}>{f.label || f.name}</Tag>
            </Tooltip>
          ))}
        </div>
      )}
    </Item>
  );
}

/** A list section: its items with move up/down and remove, and an add button. */
function ListOf<T>({ path, addLabel, addTestId, blank, render, title }: {
  path: MatterPath; addLabel: string; addTestId: string; blank: () => T; title: (item: T, index: number) => ReactNode;
  render: (index: number) => ReactNode;
}) {
  const { matter, set, readOnly } = useEditing();
  const t = useT();
  const list = (getIn(matter, path) as T[] | undefined) ?? [];
  const found = useProblemsAt(fieldOf(path), [], false);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {found.length > 0 && <Alert type="error" showIcon message={<ProblemTexts problems={found} />} />}
      {list.map((item, i) => (
        <Card key={i} size="small" type="inner" title={title(item, i)} data-testid={`matter-${key([...path, i])}`}
          extra={!readOnly && (
            <Space size={0}>
              <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={i === 0} aria-label={t('上移', 'Move up')} onClick={() => set(path, moveItem(list, i, -1))} data-testid={`matter-${key([...path, i])}-up`} />
              <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={i === list.length - 1} aria-label={t('下移', 'Move down')} onClick={() => set(path, moveItem(list, i, 1))} data-testid={`matter-${key([...path, i])}-down`} />
              <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('删除', 'Remove')} onClick={() => set(path, list.filter((_, j) => j !== i))} data-testid={`matter-${key([...path, i])}-remove`} />
            </Space>
          )}>
          {render(i)}
        </Card>
      ))}
      {!readOnly && <Button icon={<PlusOutlined />} onClick={() => set(path, [...list, blank()])} data-testid={addTestId}>{addLabel}</Button>}
    </Space>
  );
}

/** A list of short texts (受理条件). */
function TextList({ path, label, addLabel }: { path: MatterPath; label: ReactNode; addLabel: string }) {
  const { matter, set, readOnly } = useEditing();
  const t = useT();
  const list = (getIn(matter, path) as string[] | undefined) ?? [];
  return (
    <Item path={path} label={label} inside>
      <Space direction="vertical" style={{ width: '100%' }}>
        {list.map((text, i) => (
          <Space.Compact key={i} style={{ width: '100%' }}>
            <Input value={text} disabled={readOnly} onChange={(e) => set([...path, i], e.target.value)} data-testid={`matter-${key([...path, i])}`} />
            {!readOnly && <Button icon={<DeleteOutlined />} aria-label={t('删除', 'Remove')} onClick={() => set(path, list.filter((_, j) => j !== i))} />}
          </Space.Compact>
        ))}
        {!readOnly && <Button size="small" icon={<PlusOutlined />} onClick={() => set(path, [...list, ''])} data-testid={`matter-add-${key(path)}`}>{addLabel}</Button>}
      </Space>
    </Item>
  );
}

/** An on/off switch for an optional rule object: on creates it with GovFlow's defaults, off removes it. */
function RuleSwitch({ path, label, blank, testId }: { path: MatterPath; label: ReactNode; blank: () => unknown; testId: string }) {
  const { matter, set, readOnly } = useEditing();
  const value = getIn(matter, path);
  const on = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
  return (
    <Item path={path} label={label}>
      <Switch checked={on} disabled={readOnly} onChange={(v) => set(path, v ? blank() : Array.isArray(value) ? [] : undefined)} data-testid={testId} />
    </Item>
  );
}

function Basics() {
  const { matter, set, readOnly, lookups } = useEditing();
  const t = useT();
  const codes = lookups.codes;
  const joint = matter.jointDepartments ?? [];
  return (
    <Card size="small" title={t('基本信息', 'Basics')} data-testid="matter-section-basics">
      <Row gutter={16}>
        <Col xs={24} md={12}><TextField path={['code']} label={t('基本编码', 'Basic code')} /></Col>
        <Col xs={24} md={12}><TextField path={['implementationCode']} label={t('实施编码', 'Implementation code')} optional /></Col>
        <Col xs={24}><TextField path={['name']} label={t('事项名称', 'Name')} /></Col>
        <Col xs={24} md={8}><SelectField path={['type']} label={t('事项类型', 'Type')} options={tableOptions(codes.types)} /></Col>
        <Col xs={24} md={8}><SelectField path={['level']} label={t('行使层级', 'Level')} options={tableOptions(codes.levels)} /></Col>
        <Col xs={24} md={8}>
          <Item path={['caseType']} label={t('办件类型', 'Case type')}>
            <Radio.Group value={matter.caseType} disabled={readOnly} onChange={(e) => set(['caseType'], e.target.value)} data-testid="matter-caseType"
              options={tableOptions(codes.caseTypes).map((o) => ({ ...o, label: o.label.split(' ')[1] }))} />
          </Item>
        </Col>
        <Col xs={24} md={12}>
          <Item path={['department']} label={t('实施主体', 'Implementing body')} also={['departmentUscc']}>
            <Select showSearch optionFilterProp="label" value={matter.department || undefined} disabled={readOnly} placeholder={t('从部门列表选择', 'Pick a department')}
              options={matter.department && !lookups.departments.some((d) => d.name === matter.department) ? [...departmentOptions(lookups), { value: matter.department, label: matter.department }] : departmentOptions(lookups)}
              // The body's credit code goes with it, from the department list.
              onChange={(name: string) => set([], { ...setIn(matter, ['department'], name), departmentUscc: lookups.departments.find((d) => d.name === name)?.uscc ?? undefined })}
              data-testid="matter-department" />
          </Item>
        </Col>
        <Col xs={24} md={12}>
          <Item path={['jointDepartments']} label={t('联办机构', 'Joint departments')} inside>
            <Select mode="multiple" optionFilterProp="label" value={joint.map((d) => d.name ?? "")} disabled={readOnly} options={departmentOptions(lookups)}
              // A department kept keeps its credit code; one added takes the list's.
              onChange={(names: string[]) => set(['jointDepartments'], names.map((name) => joint.find((d) => d.name === name) ?? { name, uscc: lookups.departments.find((d) => d.name === name)?.uscc ?? undefined }))}
              data-testid="matter-jointDepartments" />
          </Item>
        </Col>
        <Col xs={24} md={12}>
          <Item path={['serviceObjects']} label={t('服务对象', 'Service objects')} inside>
            <Checkbox.Group value={matter.serviceObjects ?? []} disabled={readOnly} options={Object.entries(codes.serviceObjects).map(([value, label]) => ({ value, label }))}
              onChange={(v) => set(['serviceObjects'], v)} data-testid="matter-serviceObjects" />
          </Item>
        </Col>
        <Col xs={24} md={12}>
          <Item path={['handlingForms']} label={t('办理形式', 'Handling forms')} inside>
            <Checkbox.Group value={matter.handlingForms ?? []} disabled={readOnly} options={Object.entries(codes.handlingForms).map(([value, label]) => ({ value, label }))}
              onChange={(v) => set(['handlingForms'], v)} data-testid="matter-handlingForms" />
          </Item>
        </Col>
        <Col xs={24}><TextField path={['legalBasis']} label={t('设定依据', 'Legal basis')} optional area /></Col>
        <Col xs={24}><TextList path={['conditions']} label={t('受理条件', 'Acceptance conditions')} addLabel={t('添加受理条件', 'Add a condition')} /></Col>
        <Col xs={24} md={8}><NumberField path={['visits']} label={t('到现场次数', 'Visits')} /></Col>
        <Col xs={24} md={16}>
          <SelectField path={['crossRegionScope']} label={t('通办范围', 'Handled anywhere')} optional
            options={matterChoices(t).crossRegionScope} />
        </Col>
        <Col xs={24}><AcceptanceField /></Col>
        <Col xs={24}>
          <Item path={['flags']} label={t('服务支持', 'Support')} inside>
            <Space wrap>
              {([['appointment', t('支持预约', 'Appointments')], ['onlinePayment', t('网上支付', 'Online payment')], ['courierDelivery', t('物流快递', 'Courier delivery')], ['onlineHandling', t('网上办理', 'Online handling')]] as const).map(([flag, text]) => (
                <Checkbox key={flag} checked={getIn(matter, ['flags', flag]) === true} disabled={readOnly} onChange={(e) => set(['flags', flag], e.target.checked)} data-testid={`matter-flags-${flag}`}>{text}</Checkbox>
              ))}
            </Space>
          </Item>
        </Col>
      </Row>
    </Card>
  );
}

function FeeAndResult() {
  const { matter, lookups } = useEditing();
  const t = useT();
  return (
    <Card size="small" title={t('收费与办理结果', 'Fee and result')} data-testid="matter-section-fee">
      <SwitchField path={['fee', 'charged']} label={t('是否收费', 'Charged')} />
      {matter.fee?.charged && (
          <ListOf path={['fee', 'items']} addLabel={t('添加收费项目', 'Add a fee item')} addTestId="matter-add-fee-item" blank={() => ({ name: '', amount: 0 })}
            title={(x: { name?: string }, i) => x.name || t(`收费项目 ${i + 1}`, `Fee item ${i + 1}`)}
            render={(i) => (
              <Row gutter={12}>
                <Col xs={24} md={10}><TextField path={['fee', 'items', i, 'name']} label={t('名称', 'Name')} /></Col>
                <Col xs={24} md={6}><NumberField path={['fee', 'items', i, 'amount']} label={t('金额（元）', 'Amount (yuan)')} /></Col>
                <Col xs={24} md={8}><TextField path={['fee', 'items', i, 'basis']} label={t('收费依据', 'Basis')} optional /></Col>
              </Row>
            )} />
      )}
      <Row gutter={12}>
        <Col xs={24} md={10}><TextField path={['result', 'name']} label={t('办理结果名称', 'Result')} /></Col>
        <Col xs={24} md={6}>
          <SelectField path={['result', 'type']} label={t('结果类型', 'Result type')}
            options={matterChoices(t).resultType} />
        </Col>
        <Col xs={24} md={8}>
          <SelectField path={['result', 'certificateType']} label={t('电子证照类型', 'Certificate type')} optional
            options={lookups.certificateTypes.map((c) => ({ value: c.code, label: `${c.name}（${c.code}）` }))} />
        </Col>
      </Row>
    </Card>
  );
}

function Limits() {
  const t = useT();
  return (
    <Card size="small" title={t('时限', 'Limits')} data-testid="matter-section-limits">
      <Row gutter={16}>
        <Col xs={24} md={12}><LimitField path={['statutoryLimit']} label={t('法定办结时限', 'Statutory limit')} /></Col>
        <Col xs={24} md={12}><LimitField path={['promisedLimit']} label={t('承诺办结时限', 'Promised limit')} /></Col>
        <Col xs={24} md={12}><PriorityLimitField /></Col>
        <Col xs={24} md={12}><NumberField path={['yellowWorkingDays']} label={t('黄灯预警（到期前工作日）', 'Yellow light (working days before due)')} /></Col>
        <Col xs={24} md={12}><LimitField path={['correctionLimit']} label={t('补正期限', 'Correction limit')} /></Col>
      </Row>
    </Card>
  );
}

function Steps() {
  const { lookups } = useEditing();
  const t = useT();
  return (
    <Card size="small" title={t('办理环节', 'Steps')} data-testid="matter-section-steps">
      <ListOf path={['steps']} addLabel={t('添加环节', 'Add a step')} addTestId="matter-add-step" blank={() => ({ name: '', limit: { value: 1, unit: 'WD' } })}
        title={(s: { name?: string }, i) => `${i + 1}. ${s.name || t('（未命名环节）', '(unnamed step)')}`}
        render={(i) => (
          <Row gutter={12}>
            <Col xs={24} md={6}><TextField path={['steps', i, 'name']} label={t('环节名称', 'Name')} /></Col>
            <Col xs={24} md={6}><LimitField path={['steps', i, 'limit']} label={t('环节时限', 'Limit')} /></Col>
            <Col xs={24} md={6}><SelectField path={['steps', i, 'department']} label={t('办理部门', 'Department')} optional options={departmentOptions(lookups)} /></Col>
            <Col xs={24} md={6}><SelectField path={['steps', i, 'role']} label={t('办理岗位', 'Post')} optional options={lookups.roles.map((r) => ({ value: r.code, label: r.name }))} /></Col>
          </Row>
        )} />
    </Card>
  );
}

function Materials() {
  const { matter, lookups } = useEditing();
  const t = useT();
  const yes = (path: MatterPath) => getIn(matter, path) === true;
  return (
    <Card size="small" title={t('申请材料', 'Materials')} data-testid="matter-section-materials">
      <ListOf path={['materials']} addLabel={t('添加材料', 'Add a material')} addTestId="matter-add-material"
        blank={() => ({ name: '', originals: 1, copies: 0, required: true, form: 'paper', source: 'applicant', main: true, certificateReplaceable: false, toleranceAllowed: false })}
        title={(m: { name?: string }, i) => `${i + 1}. ${m.name || t('（未命名材料）', '(unnamed material)')}`}
        render={(i) => {
          const at = (name: string): MatterPath => ['materials', i, name];
          return (
            <Row gutter={12}>
              <Col xs={24} md={12}><TextField path={at('name')} label={t('材料名称', 'Name')} /></Col>
              <Col xs={12} md={6}><NumberField path={at('originals')} label={t('原件份数', 'Originals')} /></Col>
              <Col xs={12} md={6}><NumberField path={at('copies')} label={t('复印件份数', 'Copies')} /></Col>
              <Col xs={12} md={6}><SwitchField path={at('main')} label={t('主审要件', 'Main material')} /></Col>
              <Col xs={12} md={6}><SwitchField path={at('required')} label={t('必备材料', 'Required')} /></Col>
              <Col xs={12} md={6}><SwitchField path={at('toleranceAllowed')} label={t('可容缺后补', 'May come later')} /></Col>
              <Col xs={12} md={6}><SwitchField path={at('certificateReplaceable')} label={t('可用电子证照代替', 'Replaced by e-certificate')} /></Col>
              {yes(at('certificateReplaceable')) && (
                <Col xs={24} md={12}>
                  <SelectField path={at('certificateType')} label={t('电子证照类型', 'Certificate type')} optional
                    options={lookups.certificateTypes.map((c) => ({ value: c.code, label: `${c.name}（${c.code}）` }))} />
                </Col>
              )}
              {!yes(at('required')) && (
                <Col xs={24}><ConditionField path={at('condition')} label={t('需要提交的条件', 'Needed when')} fields={lookups.caseFields} /></Col>
              )}
              <Col xs={12} md={6}>
                <SelectField path={at('form')} label={t('材料形式', 'Form')}
                  options={matterChoices(t).materialForm} />
              </Col>
              <Col xs={12} md={6}>
                <SelectField path={at('source')} label={t('来源渠道', 'Source')}
                  options={matterChoices(t).materialSource} />
              </Col>
              <Col xs={24} md={6}><TextField path={at('issuingBody')} label={t('出具单位', 'Issued by')} optional /></Col>
              <Col xs={24} md={6}><TextField path={at('sample')} label={t('空表/样表链接', 'Blank form or sample')} optional /></Col>
            </Row>
          );
        }} />
    </Card>
  );
}

function Rules() {
  const { matter, lookups } = useEditing();
  const t = useT();
  const departments = departmentOptions(lookups);
  return (
    <Card size="small" title={t('容缺受理、并联审批、秒批', 'Tolerance, parallel approval, instant approval')} data-testid="matter-section-rules">
      <RuleSwitch path={['tolerance']} label={t('容缺受理', 'Tolerance-gap acceptance')} testId="matter-tolerance-enabled"
        blank={() => ({ supplementLimit: { value: 5, unit: 'WD' }, onExpiry: 'terminate', remindBeforeWorkingDays: 2 })} />
      {matter.tolerance && (
        <Row gutter={12}>
          <Col xs={24} md={8}><LimitField path={['tolerance', 'supplementLimit']} label={t('补齐期限', 'Supplement within')} /></Col>
          <Col xs={24} md={8}>
            <SelectField path={['tolerance', 'onExpiry']} label={t('逾期未补齐', 'When not supplied')}
              options={[{ value: 'terminate', label: t('终止办理（退件）', 'terminate') }, { value: 'suspend', label: t('中止办理', 'suspend') }]} />
          </Col>
          <Col xs={24} md={8}>
            <NumberField path={['tolerance', 'remindBeforeWorkingDays']} label={t('到期前短信提醒（工作日，0 为不提醒）', 'SMS reminder before the deadline (working days, 0: none)')} />
          </Col>
        </Row>
      )}
      <RuleSwitch path={['parallel']} label={t('并联审批', 'Parallel approval')} testId="matter-parallel-enabled"
        blank={() => ({ lead: matter.department ?? '', members: [], memberLimit: { value: 5, unit: 'WD' }, deemedAgreeOnTimeout: true })} />
      {matter.parallel && (
        <Row gutter={12}>
          <Col xs={24} md={8}><SelectField path={['parallel', 'lead']} label={t('牵头部门', 'Lead')} options={departments} /></Col>
          <Col xs={24} md={16}>
            <MembersField departments={departments} />
          </Col>
          <Col xs={24} md={8}><LimitField path={['parallel', 'memberLimit']} label={t('协办时限', 'Member limit')} /></Col>
          <Col xs={24} md={8}><SwitchField path={['parallel', 'deemedAgreeOnTimeout']} label={t('逾期未回复视为同意', 'Silence counts as agreement')} /></Col>
        </Row>
      )}
      <RuleSwitch path={['instantApprovalRules']} label={t('秒批（无人干预自动审批）', 'Instant approval')} testId="matter-instant-enabled" blank={() => [{ name: '', condition: '' }]} />
      {(matter.instantApprovalRules ?? []).length > 0 && (
        <ListOf path={['instantApprovalRules']} addLabel={t('添加秒批规则', 'Add a rule')} addTestId="matter-add-instant-rule" blank={() => ({ name: '', condition: '' })}
          title={(r: { name?: string }, i) => r.name || t(`规则 ${i + 1}`, `Rule ${i + 1}`)}
          render={(i) => (
            <Row gutter={12}>
              <Col xs={24} md={8}><TextField path={['instantApprovalRules', i, 'name']} label={t('规则名称（不通过时显示）', 'Name (shown when it fails)')} /></Col>
              <Col xs={24} md={16}><ConditionField path={['instantApprovalRules', i, 'condition']} label={t('通过条件', 'Passes when')} fields={lookups.caseFields} /></Col>
            </Row>
          )} />
      )}
    </Card>
  );
}

function MembersField({ departments }: { departments: { value: string; label: string }[] }) {
  const { matter, set, readOnly } = useEditing();
  const t = useT();
  return (
    <Item path={['parallel', 'members']} label={t('协办部门', 'Members')} inside>
      <Select mode="multiple" optionFilterProp="label" value={matter.parallel?.members ?? []} disabled={readOnly} options={departments}
        onChange={(v: string[]) => set(['parallel', 'members'], v)} data-testid="matter-parallel-members" />
    </Item>
  );
}

function Rating() {
  const t = useT();
  return (
    <Card size="small" title={t('好差评', 'Ratings')} data-testid="matter-section-rating">
      <Row gutter={16}>
        <Col xs={24} md={12}><NumberField path={['rating', 'defaultAfterDays']} label={t('未评价默认“基本满意”（自然日）', 'Default rating after (days)')} /></Col>
        <Col xs={24} md={12}><NumberField path={['rating', 'rectifyWithinWorkingDays']} label={t('差评整改期限（工作日）', 'Rectify within (working days)')} /></Col>
      </Row>
    </Card>
  );
}

/** Problems at a matter field the form has no place for (a new rule of the validator), so none is lost. */
function Unplaced() {
  const { problems, claimed } = useEditing();
  const t = useT();
  const left = [...problems].filter(([f]) => !claimed.has(f)).flatMap(([, list]) => list);
  if (left.length === 0) return null;
  return <Alert type="error" showIcon message={t('事项的其他问题', 'Other problems of the matter')} description={<ProblemTexts problems={left} />} data-testid="matter-other-problems" />;
}

/** The matter editor: 基本信息, 时限, 办理环节, 申请材料, 容缺/并联/秒批 and 好差评, each problem at its field. */
export function MatterForm({ matter, onChange, problems, lookups, readOnly = false }: MatterFormProps) {
  const editing: Editing = {
    matter, lookups, readOnly,
    set: (path, value) => onChange(setIn(matter, path, value)),
    problems: problemsByField(problems),
    // Filled as the sections render, so what none of them showed is listed at the end.
    claimed: new Set<string>(),
  };
  return (
    <EditingContext.Provider value={editing}>
      <Form layout="vertical" component="div" disabled={readOnly} data-testid="matter-form">
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          <Basics />
          <FeeAndResult />
          <Limits />
          <Steps />
          <Materials />
          <Rules />
          <Rating />
          <Unplaced />
        </Space>
      </Form>
    </EditingContext.Provider>
  );
}
