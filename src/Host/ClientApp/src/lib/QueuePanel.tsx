// 叫号: the window clerk's panel on the acceptance page. 叫下一位 calls the next number the chosen window serves
// (booked visitors due in their slot first, then walk-ins as they came); 重呼, 过号; 开始办理 opens the acceptance
// form filled from the number (and its booking).
import { Alert, App, Button, Card, Select, Space, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { errorText } from './api';
import { hallOf, queueApi } from './queue';
import { useSession, useT } from './session';

export function QueuePanel() {
  const t = useT();
  const { user } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [windowId, setWindowId] = useState<string | undefined>(() => localStorage.getItem('govflow.window') ?? undefined);
  const halls = useQuery({ queryKey: ['halls'], queryFn: queueApi.halls });
  const hall = hallOf(halls.data, user?.department);
  const queue = useQuery({ queryKey: ['hall', hall?.id, 'queue'], queryFn: () => queueApi.queue(hall!.id), enabled: !!hall, refetchInterval: 10000 });
  const windows = queue.data?.windows ?? [];
  const chosen = windows.find((w) => w.id === windowId) ?? windows[0];
  const current = queue.data?.calls.find((c) => c.windowName === chosen?.name);
  const refresh = () => void qc.invalidateQueries({ queryKey: ['hall', hall?.id] });
  const callNext = useMutation({ mutationFn: () => queueApi.callNext(hall!.id, chosen!.id), onSettled: refresh });
  const act = useMutation({
    mutationFn: ({ ticket, action }: { ticket: string; action: 'recall' | 'skip' | 'start' }) => queueApi.act(ticket, action),
    onSuccess: (ticket, { action }) => {
      if (action === 'start') navigate(`/accept?ticket=${ticket.id}`);
      else message.info(action === 'recall' ? t(`已重呼 ${ticket.number}`, `Called ${ticket.number} again`) : t(`${ticket.number} 已过号`, `${ticket.number} skipped`));
    },
    onSettled: refresh,
  });
  if (!hall) return null;
  const error = callNext.error ?? act.error ?? queue.error;
  return (
    <Card size="small" title={t('叫号', 'Queue')} style={{ marginBottom: 16 }} data-testid="queue-panel"
      extra={<Typography.Text type="secondary">{t(`等候 ${queue.data?.waiting.length ?? 0} 人`, `${queue.data?.waiting.length ?? 0} waiting`)}</Typography.Text>}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Select style={{ minWidth: 120 }} value={chosen?.id} onChange={(v) => { setWindowId(v); localStorage.setItem('govflow.window', v); }} data-testid="queue-window"
            options={windows.map((w) => ({ value: w.id, label: w.open ? w.name : t(`${w.name}（暂停）`, `${w.name} (closed)`) }))} />
          <Button type="primary" disabled={!chosen} loading={callNext.isPending} onClick={() => callNext.mutate()} data-testid="queue-call-next">{t('叫下一位', 'Call next')}</Button>
        </Space>
        {current && (
          <Space wrap data-testid="queue-current">
            <Typography.Text strong style={{ fontSize: 20 }}>{current.number}</Typography.Text>
            <Typography.Text>{current.matterName}</Typography.Text>
            {current.booked && <Tag color="green">{t('预约', 'booked')}</Tag>}
            <Button size="small" onClick={() => act.mutate({ ticket: current.id, action: 'recall' })} data-testid="queue-recall">{t('重呼', 'Call again')}</Button>
            <Button size="small" danger onClick={() => act.mutate({ ticket: current.id, action: 'skip' })} data-testid="queue-skip">{t('过号', 'Skip')}</Button>
            <Button size="small" type="primary" onClick={() => act.mutate({ ticket: current.id, action: 'start' })} data-testid="queue-start">{t('开始办理', 'Start')}</Button>
          </Space>
        )}
        {error && <Alert type="warning" showIcon message={errorText(error)} />}
      </Space>
    </Card>
  );
}
