// Who holds a task, changed by hand: the holder gives it back (退回签收); a department head (科长) releases anyone's
// (释放) or hands it to another handler of the department (改派). The host decides who may; the UI offers only that.
import { App, Button, Popconfirm, Select, Space } from 'antd';
import { useState } from 'react';
import { errorText, fieldProps } from './api';
import type { TaskActionOffer } from './model';
import { useReassignTask, useUnclaimTask, type TaskRef } from './queries';
import { useSession, useT } from './session';

/** The department's handlers a task may go to: its transfer action's assignee choices (none: no reassigning). */
export function handlersOf(actions: TaskActionOffer[] | null | undefined): string[] {
  const offers = actions ?? [];
  const transfer = offers.find((a) => a.name === 'transfer') ?? offers.find((a) => a.fields.some((f) => f.name === 'assignee'));
  return transfer?.fields.find((f) => f.name === 'assignee')?.choices ?? [];
}

export interface HeldTask extends TaskRef {
  /** Who holds it (null: nobody has claimed it). */
  assignee: string | null;
  actions?: TaskActionOffer[] | null;
}

/** 退回签收 for the holder, 释放 for a head on someone else's task. Nothing for anyone else. */
export function UnclaimButton({ task, size = 'small' }: { task: HeldTask; size?: 'small' | 'middle' }) {
  const t = useT();
  const { user } = useSession();
  const { message } = App.useApp();
  const unclaim = useUnclaimTask();
  if (!task.assignee || !user) return null;
  const mine = task.assignee === user.userName;
  if (!mine && !user.isHead) return null;
  const run = () =>
    unclaim.mutate(task, {
      onSuccess: () => void message.success(mine ? t('已退回签收', 'Given back') : t('已释放', 'Released')),
      onError: (e) => void message.error(errorText(e)),
    });
  return mine ? (
    <Button size={size} loading={unclaim.isPending} onClick={run} data-testid="unclaim">{t('退回签收', 'Unclaim')}</Button>
  ) : (
    <Popconfirm title={t(`释放 ${task.assignee} 签收的任务？`, `Release ${task.assignee}'s task?`)} okText={t('释放', 'Release')} cancelText={t('取消', 'Cancel')} onConfirm={run}>
      <Button size={size} danger loading={unclaim.isPending} data-testid="release">{t('释放', 'Release')}</Button>
    </Popconfirm>
  );
}

/** 改派 for a head: a handler of the task's department and role, from the choices the host offers. */
export function ReassignControl({ task }: { task: HeldTask }) {
  const t = useT();
  const { user } = useSession();
  const { message } = App.useApp();
  const reassign = useReassignTask();
  const [assignee, setAssignee] = useState<string>();
  const choices = handlersOf(task.actions).filter((c) => c !== task.assignee);
  if (!user?.isHead || choices.length === 0) return null;
  const run = () =>
    assignee &&
    reassign.mutate(
      { task, assignee },
      {
        onSuccess: () => {
          void message.success(t(`已改派给 ${assignee}`, `Reassigned to ${assignee}`));
          setAssignee(undefined);
        },
        onError: (e) => void message.error(errorText(e)),
      },
    );
  return (
    <Space.Compact>
      <Select
        size="small"
        style={{ minWidth: 150 }}
        status={fieldProps(reassign.error, 'assignee').validateStatus}
        placeholder={t('改派给', 'Reassign to')}
        value={assignee}
        onChange={(v) => {
          reassign.reset();
          setAssignee(v);
        }}
        options={choices.map((c) => ({ value: c, label: c }))}
        data-testid="reassign-select"
      />
      <Button size="small" disabled={!assignee} loading={reassign.isPending} onClick={run} data-testid="reassign">{t('改派', 'Reassign')}</Button>
    </Space.Compact>
  );
}
