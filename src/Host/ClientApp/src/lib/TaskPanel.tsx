// The task panel of the case page: exactly the actions the host offers for this task, each asking for what it declares.
import { Alert, App, Button, Card, Checkbox, Form, Input, Radio, Select, Space, Tag } from 'antd';
import { usePersonName } from './people';
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, fieldProps } from './api';
import type { CurrentStep, TaskActionOffer, TaskField } from './model';
import { invalidateTasks, useCompleteTask } from './queries';
import { useSession, useT } from './session';
import { ReassignControl, UnclaimButton } from './TaskHandoff';
import { actionLabel, completeBody, fieldValue, unfilled, type ActionForm } from './tasks';

/** English names of the fields every task contract uses (the host sends the Chinese label). */
const fieldEn: Record<string, string> = {
  materials: 'Materials', assignee: 'Handler', returnTo: 'Return to', days: 'Working days', approver: 'Approved by', procedure: 'Procedure',
};

export function TaskPanel({ caseId, step }: { caseId: string; step: CurrentStep }) {
  const t = useT();
  const { user, lang } = useSession();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const complete = useCompleteTask();
  const actions: TaskActionOffer[] = step.actions ?? [];
  const [form, setForm] = useState<ActionForm>({ action: actions[0]?.name ?? '' });
  const action = actions.find((a) => a.name === form.action) ?? actions[0];
  const missing = unfilled(action, form);
  const task = { taskId: step.taskId, caseId };
  const error = complete.error;
  const conflict = error instanceof ApiError && error.isConflict;
  const fieldLabel = (f: Pick<TaskField, 'name' | 'label'>) => (lang === 'en' ? (fieldEn[f.name] ?? f.label) : f.label);
  const mine = step.assignee === user?.userName;
  const nameOf = usePersonName(!!step.assignee && !mine);
  const held = { ...task, assignee: step.assignee, actions };

  const send = () => {
    if (!action) return;
    complete.mutate(
      { task, claim: !step.assignee, body: completeBody(action, form) },
      { onSuccess: () => void message.success(t('已办理', 'Done')) },
    );
  };
  const reload = () => {
    complete.reset();
    invalidateTasks(qc, [task]);
  };
  const set = (patch: Partial<ActionForm>) => setForm((old) => ({ ...old, ...patch }));
  const names: Record<string, string> = {
    opinion: t('意见', 'opinion'),
    action: t('操作', 'action'),
    ...Object.fromEntries((action?.fields ?? []).map((f) => [f.name, fieldLabel(f)])),
  };

  return (
    <Card
      size="small"
      title={<span>{t('办理：', 'Act: ')}{step.stepName}</span>}
      extra={step.assignee ? <Tag color="blue">{nameOf(step.assignee)}</Tag> : <Tag>{t('未签收', 'unclaimed')}</Tag>}
      data-testid="task-panel"
    >
      {(user?.isHead || (mine && step.assignee)) && (
        <Space wrap style={{ marginBottom: 12 }} data-testid="task-handoff">
          <UnclaimButton task={held} />
          <ReassignControl task={held} />
        </Space>
      )}
      {step.assignee && !mine ? (
        <Alert type="info" message={t(`已由 ${nameOf(step.assignee)} 签收`, `Claimed by ${nameOf(step.assignee)}`)} />
      ) : actions.length === 0 ? (
        <Alert type="info" showIcon message={t('此环节暂无可办理的操作', 'This step offers no actions yet')} data-testid="no-actions" />
      ) : (
        <Form layout="vertical" component="div">
          <Form.Item style={{ marginBottom: 12 }} {...fieldProps(error, 'action')}>
            <Radio.Group value={action?.name} onChange={(e) => set({ action: e.target.value })} data-testid="actions">
              {actions.map((a) => (
                <Radio.Button key={a.name} value={a.name} data-testid={`action-${a.name}`} style={a.danger ? { color: '#cf1322' } : undefined}>
                  {actionLabel(a, lang)}
                </Radio.Button>
              ))}
            </Radio.Group>
          </Form.Item>
          {action?.fields.map((f) => (
            <Form.Item
              key={f.name}
              label={fieldLabel(f)}
              required={f.required}
              {...fieldProps(error, f.name)}
              style={{ marginBottom: 12 }}
            >
              <FieldInput field={f} value={fieldValue(form, f.name)} onChange={(v) => set({ [f.name]: v } as Partial<ActionForm>)} />
            </Form.Item>
          ))}
          {action && action.opinion !== 'none' && (
            <Form.Item
              label={t('意见', 'Opinion')}
              required={action.opinion === 'required'}
              {...fieldProps(error, 'opinion')}
              style={{ marginBottom: 12 }}
            >
              <Input.TextArea
                rows={3}
                maxLength={2000}
                showCount
                placeholder={action.opinion === 'required' ? t('意见（必填）', 'Opinion (required)') : t('意见（可选）', 'Opinion (optional)')}
                value={form.opinion}
                onChange={(e) => set({ opinion: e.target.value })}
                data-testid="opinion"
              />
            </Form.Item>
          )}
          <Space direction="vertical" style={{ width: '100%' }}>
            {error && (
              <Alert
                type={conflict ? 'warning' : 'error'}
                showIcon
                message={conflict ? t('其他人已先办理了这一步：', 'Someone else acted on this step first: ') + error.message : error.message}
                data-testid="task-error"
                action={conflict ? <Button size="small" onClick={reload}>{t('刷新', 'Reload')}</Button> : undefined}
              />
            )}
            <Button type="primary" danger={action?.danger} disabled={missing.length > 0} loading={complete.isPending} onClick={send} data-testid="submit-action">
              {missing.length ? t('请填写：', 'Still needed: ') + missing.map((m) => names[m] ?? m).join(t('、', ', ')) : t('提交', 'Submit')}
            </Button>
          </Space>
        </Form>
      )}
    </Card>
  );
}

function FieldInput({ field, value, onChange }: { field: TaskField; value: string | string[] | undefined; onChange: (v: string | string[]) => void }) {
  const t = useT();
  const choices = field.choices ?? [];
  if (field.name === 'materials')
    return choices.length ? (
      <Checkbox.Group
        style={{ display: 'flex', flexDirection: 'column' }}
        value={(value as string[] | undefined) ?? []}
        onChange={(v) => onChange(v as string[])}
        options={choices.map((m) => ({ label: m, value: m }))}
        data-testid="field-materials"
      />
    ) : (
      <Select mode="tags" value={(value as string[] | undefined) ?? []} onChange={onChange} placeholder={t('输入材料名称', 'Type material names')} data-testid="field-materials" />
    );
  if (choices.length)
    return (
      <Select
        allowClear
        value={value as string | undefined}
        onChange={(v) => onChange(v ?? '')}
        options={choices.map((c) => ({ label: c, value: c }))}
        placeholder={t('请选择', 'Choose')}
        data-testid={`field-${field.name}`}
      />
    );
  return <Input value={value as string | undefined} onChange={(e) => onChange(e.target.value)} data-testid={`field-${field.name}`} />;
}
