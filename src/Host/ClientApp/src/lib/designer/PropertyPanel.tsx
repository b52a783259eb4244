// The property panel of the flow designer: the selected activity's name, display text, every input of its descriptor
// as a typed field with its expression type, and its outcome ports with what they lead to.
import { AutoComplete, Button, Checkbox, Input, InputNumber, Radio, Select, Space, Tag, Typography } from 'antd';
import { labelOf } from '../flow';
import { CodeEditor } from './CodeEditor';
import { useSession, useT } from '../session';
import {
  fieldKind, isScript, outcomeLabel, setSwitchCases, switchCasesOf, type SwitchCase, listOfInput, setListInput, syntaxLabel, syntaxOf, textOf, valueSyntax, defaultSyntaxes, type FlowLookups,
} from './flowFields';
import {
  activitiesOf, connect, connectionKey, connectionsOf, inputOf, literalValue, outcomesOf, removeConnections, setActivityName,
  setDisplayText, setInput, setInputSyntax, setInputValue, type ActivityDescriptor, type InputDescriptor, type Json, type Problem,
} from './flowModel';

/** Applies an edit; edits with the same `coalesce` key in a row (typing into one field) are one step of undo. */
export type ApplyEdit = (next: Json, coalesce?: string) => void;

const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 };

export interface PropertyPanelProps {
  definition: Json;
  activity: Json;
  descriptor?: ActivityDescriptor;
  lookups?: FlowLookups;
  problems?: Problem[];
  readOnly?: boolean;
  onApply: ApplyEdit;
  /** Deletes the activity (the panel's own delete button). */
  onDelete?: () => void;
}

export function PropertyPanel({ definition, activity, descriptor, lookups, problems = [], readOnly, onApply, onDelete }: PropertyPanelProps) {
  const t = useT();
  const { lang } = useSession();
  const id = String(activity.id);
  const metadata = (activity.metadata ?? {}) as Json;
  return (
    <div data-testid="activity-props" style={{ display: 'flex', flexDirection: 'column', gap: 10 }}>
      <div>
        <Typography.Text strong>{descriptor ? (lang === 'zh' ? descriptor.displayNameZh || descriptor.displayName : descriptor.displayName) : String(activity.type)}</Typography.Text>
        <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>{id}</Typography.Text>
        {descriptor?.description && <div style={{ fontSize: 12, color: '#8c8c8c' }}>{descriptor.description}</div>}
        {!descriptor && (
          <div style={{ fontSize: 12, color: '#8c8c8c' }} data-testid="activity-unknown">
            {t('设计器不认识这种活动，保存时原样保留。', 'The designer does not know this activity type; it is kept as it is.')}
          </div>
        )}
      </div>
      {problems.length > 0 && (
        <div style={{ color: '#cf1322', fontSize: 12 }}>
          {problems.map((p, i) => <div key={i}>{p.message}</div>)}
        </div>
      )}
      <Labelled label={t('名称', 'Name')}>
        <Input data-testid="activity-name" value={typeof activity.name === 'string' ? activity.name : ''} disabled={readOnly}
          onChange={(e) => onApply(setActivityName(definition, id, e.target.value), `${id}/name`)} />
      </Labelled>
      <Labelled label={t('显示文字', 'Display text')}>
        <Input data-testid="activity-displayText" value={typeof metadata.displayText === 'string' ? metadata.displayText : ''} disabled={readOnly}
          onChange={(e) => onApply(setDisplayText(definition, id, e.target.value), `${id}/displayText`)} />
      </Labelled>
      {descriptor?.inputs.map((input) => (
        <InputField key={input.name} definition={definition} activity={activity} input={input} lookups={lookups} readOnly={readOnly} onApply={onApply} />
      ))}
      {!descriptor && (
        <Labelled label="JSON">
          <Input.TextArea readOnly value={JSON.stringify(activity, null, 2)} rows={8} style={mono} />
        </Labelled>
      )}
      <Outcomes definition={definition} activity={activity} descriptor={descriptor} readOnly={readOnly} onApply={onApply} />
      {onDelete && !readOnly && (
        <Button danger size="small" onClick={onDelete} data-testid="activity-delete">{t('删除此环节', 'Delete this activity')}</Button>
      )}
    </div>
  );
}

function Labelled({ label, extra, children, required }: { label: string; extra?: React.ReactNode; children: React.ReactNode; required?: boolean }) {
  return (
    <div>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8, marginBottom: 2 }}>
        <span style={{ fontSize: 12, color: '#595959' }}>
          {required && <span style={{ color: '#cf1322' }}>* </span>}
          {label}
        </span>
        {extra}
      </div>
      {children}
    </div>
  );
}

function InputField({ definition, activity, input, lookups, readOnly, onApply }: {
  definition: Json; activity: Json; input: InputDescriptor; lookups?: FlowLookups; readOnly?: boolean; onApply: ApplyEdit;
}) {
  const t = useT();
  const { lang } = useSession();
  const id = String(activity.id);
  const kind = fieldKind(input);
  const syntax = syntaxOf(activity, input);
  const plain = valueSyntax(input);
  const scripts = (lookups?.expressionSyntaxes ?? defaultSyntaxes).filter((s) => isScript(s));
  // The stored type stays selectable even where this server does not offer it (C# turned off), so nothing is lost by looking.
  const choices = [plain, ...scripts, ...(syntax !== plain && !scripts.includes(syntax) ? [syntax] : [])];
  const key = `${id}/${input.name}`;
  const testId = `prop-${input.name}`;
  const setText = (text: string) => onApply(setInputValue(definition, id, input, isScript(syntax) || plain === 'Object' ? text : literalValue(input.typeName, text)), key);
  const label = lang === 'zh' ? input.displayNameZh || input.displayName : input.displayName;

  const selector = (
    <Radio.Group size="small" value={syntax} disabled={readOnly} optionType="button" data-testid={`${testId}-syntax`}
      onChange={(e) => onApply(setInputSyntax(definition, id, input, e.target.value as string))}>
      {choices.map((s) => (
        // The test id on the visible text: Ant Design puts props on the hidden radio input, which a browser cannot click.
        <Radio.Button key={s} value={s} style={{ paddingInline: 6, fontSize: 12 }}><span data-testid={`${testId}-syntax-${s}`}>{syntaxLabel(s, t)}</span></Radio.Button>
      ))}
    </Radio.Group>
  );

  if (input.uiHint === 'switch-editor' && !isScript(syntax))
    return (
      <Labelled label={label} required={input.required}>
        <SwitchCases definition={definition} activity={activity} readOnly={readOnly} onApply={onApply} syntaxes={scripts} />
      </Labelled>
    );

  let field: React.ReactNode;
  if (isScript(syntax) || kind === 'code') {
    field = (
      <CodeEditor testId={testId} value={textOf(activity, input.name)} disabled={readOnly} syntax={syntax}
        placeholder={isScript(syntax) ? syntax : undefined}
        onChange={(value) => {
          // An Object input that is not yet in Elsa's wrapper (FlowSwitch's raw cases) becomes one as it is edited.
          if (!isScript(syntax) && plain === 'Object' && !inputOf(activity, input.name))
            onApply(setInput(definition, id, input.name, { typeName: input.typeName, expression: { type: 'Object', value } }), key);
          else setText(value);
        }} />
    );
  } else {
    const text = textOf(activity, input.name);
    switch (kind) {
      case 'boolean': {
        // Not given: the activity uses its default, so that is what the box shows.
        const v = inputOf(activity, input.name)?.expression.value ?? literalValue(input.typeName, input.defaultValue);
        field = (
          <Checkbox data-testid={testId} checked={v === true || v === 'true'} disabled={readOnly}
            onChange={(e) => onApply(setInputValue(definition, id, input, e.target.checked), key)}>{label}</Checkbox>
        );
        break;
      }
      case 'number': {
        const v = inputOf(activity, input.name)?.expression.value;
        const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
        field = (
          <InputNumber data-testid={testId} value={n} disabled={readOnly} style={{ width: '100%' }} placeholder={input.defaultValue ?? undefined}
            onChange={(value) => onApply(setInputValue(definition, id, input, value ?? undefined), key)} />
        );
        break;
      }
      case 'options':
        field = (
          <Select data-testid={testId} value={text || undefined} disabled={readOnly} allowClear style={{ width: '100%' }}
            options={(input.options ?? []).map((o) => ({ value: o, label: o }))}
            onChange={(value?: string) => onApply(setInputValue(definition, id, input, value ?? undefined), key)} />
        );
        break;
      case 'department':
      case 'material':
      case 'step': {
        const names = kind === 'department' ? (lookups?.departments ?? []).map((d) => d.name) : kind === 'material' ? lookups?.materials ?? [] : lookups?.steps ?? [];
        field = (
          <AutoComplete value={text} disabled={readOnly} style={{ width: '100%' }}
            options={names.filter((n) => !text || n.includes(text) || names.includes(text)).map((n) => ({ value: n }))}
            onChange={(value: string) => setText(value)}>
            <Input data-testid={testId} placeholder={kind === 'department' ? t('选择或输入部门', 'Pick or type a department') : kind === 'material' ? t('选择材料', 'Pick a material') : t('选择环节', 'Pick a step')} />
          </AutoComplete>
        );
        break;
      }
      case 'role': {
        // A closed list shown by its names: the stored code (reviewer) is the server's, not the hall's word. A role this
        // server does not know stays selectable as it is, so opening a flow loses nothing.
        const roles = lookups?.roles ?? [];
        const known = roles.some((r) => r.code === text);
        field = roles.length ? (
          <Select data-testid={testId} value={text || undefined} disabled={readOnly} style={{ width: '100%' }} allowClear placeholder={t('选择岗位', 'Pick a role')}
            options={[...roles.map((r) => ({ value: r.code, label: r.name })), ...(text && !known ? [{ value: text, label: text }] : [])]}
            onChange={(value?: string) => setText(value ?? '')} />
        ) : (
          <Input data-testid={testId} value={text} disabled={readOnly} onChange={(e) => setText(e.target.value)} />
        );
        break;
      }
      case 'certificateType': {
        const coded = lookups?.certificateTypes ?? [];
        field = coded.length ? (
          <AutoComplete value={text} disabled={readOnly} style={{ width: '100%' }}
            options={coded.map((c) => ({ value: c.code, label: `${c.name}（${c.code}）` }))}
            filterOption={(typed, o) => !typed || String(o?.value).includes(typed) || String(o?.label).includes(typed)}
            onChange={(value: string) => setText(value)}>
            <Input data-testid={testId} suffix={<span style={{ color: '#8c8c8c', fontSize: 12 }}>{coded.find((c) => c.code === text)?.name}</span>} />
          </AutoComplete>
        ) : (
          <Input data-testid={testId} value={text} disabled={readOnly} onChange={(e) => setText(e.target.value)} />
        );
        break;
      }
      case 'departments':
        field = (
          <Select data-testid={testId} mode="tags" value={listOfInput(activity, input.name)} disabled={readOnly} style={{ width: '100%' }}
            options={(lookups?.departments ?? []).map((d) => ({ value: d.name, label: d.name }))}
            onChange={(values: string[]) => onApply(setListInput(definition, id, input, values), key)} />
        );
        break;
      case 'list':
        field = (
          <Input.TextArea data-testid={testId} value={listOfInput(activity, input.name).join('\n')} disabled={readOnly} rows={3}
            placeholder={t('每行一项', 'One per line')}
            onChange={(e) => onApply(setListInput(definition, id, input, e.target.value.split('\n').map((s) => s.trim()).filter(Boolean)), key)} />
        );
        break;
      case 'multiline':
        field = <Input.TextArea data-testid={testId} value={text} disabled={readOnly} rows={3} onChange={(e) => setText(e.target.value)} />;
        break;
      default:
        field = <Input data-testid={testId} value={text} disabled={readOnly} placeholder={input.defaultValue ?? undefined} onChange={(e) => setText(e.target.value)} />;
    }
  }
  return (
    <Labelled label={kind === 'boolean' && !isScript(syntax) ? '' : label} required={input.required} extra={selector}>
      <div title={input.description ?? undefined}>{field}</div>
    </Labelled>
  );
}

/** A FlowSwitch's cases as rows: the label (its outcome port) and the condition, in a script language. */
function SwitchCases({ definition, activity, readOnly, onApply, syntaxes }: { definition: Json; activity: Json; readOnly?: boolean; onApply: ApplyEdit; syntaxes: string[] }) {
  const t = useT();
  const id = String(activity.id);
  const cases = switchCasesOf(activity);
  const set = (next: SwitchCase[], key?: string) => onApply(setSwitchCases(definition, id, next), key);
  const change = (i: number, c: SwitchCase, key: string) => set(cases.map((x, j) => (j === i ? c : x)), `${id}/cases/${i}/${key}`);
  return (
    <div data-testid="prop-cases" style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
      {cases.map((c, i) => (
        <div key={i} style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 6, display: 'flex', flexDirection: 'column', gap: 4 }}>
          <div style={{ display: 'flex', gap: 4 }}>
            <Input size="small" data-testid={`prop-cases-${i}-label`} value={c.label} disabled={readOnly} placeholder={t('分支名称', 'Case label')}
              onChange={(e) => change(i, { ...c, label: e.target.value }, 'label')} />
            <Select size="small" value={c.condition.type} disabled={readOnly} style={{ width: 110, flex: 'none' }}
              options={[...new Set([...syntaxes, c.condition.type])].map((s) => ({ value: s, label: s === 'CSharp' ? 'C#' : s }))}
              onChange={(type: string) => change(i, { ...c, condition: { ...c.condition, type } }, 'type')} />
            {!readOnly && <Button size="small" danger onClick={() => set(cases.filter((_, j) => j !== i))}>×</Button>}
          </div>
          <Input.TextArea data-testid={`prop-cases-${i}-condition`} value={c.condition.value} disabled={readOnly} rows={2} style={mono} spellCheck={false}
            placeholder={t('条件，例如 age >= 60', 'Condition, e.g. age >= 60')} onChange={(e) => change(i, { ...c, condition: { ...c.condition, value: e.target.value } }, 'value')} />
        </div>
      ))}
      {!readOnly && (
        <Button size="small" data-testid="prop-cases-add" onClick={() => set([...cases, { label: `${t('分支', 'Case')}${cases.length + 1}`, condition: { type: syntaxes[0] ?? 'JavaScript', value: '' } }])}>
          {t('添加分支', 'Add a case')}
        </Button>
      )}
    </div>
  );
}

/** Each outcome port with the activities it leads to; one can connect a port or take a connection away here too. */
function Outcomes({ definition, activity, descriptor, readOnly, onApply }: { definition: Json; activity: Json; descriptor?: ActivityDescriptor; readOnly?: boolean; onApply: ApplyEdit }) {
  const t = useT();
  const { lang } = useSession();
  const id = String(activity.id);
  const connections = connectionsOf(definition);
  const ports = outcomesOf(activity, descriptor, connections);
  const others = activitiesOf(definition).filter((a) => a.id !== id);
  const names = new Map(activitiesOf(definition).map((a) => [String(a.id), labelOf(a)]));
  if (ports.length === 0) return null;
  return (
    <div data-testid="activity-outcomes">
      <div style={{ fontSize: 12, color: '#595959', marginBottom: 4 }}>{t('出口', 'Outcomes')}</div>
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        {ports.map((port) => {
          const out = connections.filter((c) => (c.source as Json | undefined)?.activity === id && String((c.source as Json).port ?? 'Done') === port);
          return (
            <div key={port} style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 4 }}>
              <span style={{ fontSize: 12, minWidth: 56 }}>{outcomeLabel(port, lang)}</span>
              <span style={{ color: '#bfbfbf' }}>→</span>
              {out.map((c) => {
                const target = String((c.target as Json).activity);
                return (
                  <Tag key={connectionKey(c)} closable={!readOnly} onClose={() => onApply(removeConnections(definition, [connectionKey(c)]))}
                    data-testid={`outcome-${port}-${target}`}>{names.get(target) ?? target}</Tag>
                );
              })}
              {!readOnly && (
                <select data-testid={`connect-${port}`} value="" style={{ fontSize: 12, maxWidth: 150 }}
                  onChange={(e) => e.target.value && onApply(connect(definition, id, port, e.target.value))}>
                  <option value="">{t('连接到…', 'Connect to…')}</option>
                  {others.map((a) => <option key={String(a.id)} value={String(a.id)}>{labelOf(a)}</option>)}
                </select>
              )}
            </div>
          );
        })}
      </Space>
    </div>
  );
}
