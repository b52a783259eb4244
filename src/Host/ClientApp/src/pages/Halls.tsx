// 大厅排队: every hall's booking rules (opening periods, slot length, places per slot) and windows, with its kiosk and
// call screen. Policy staff and administrators change the rules; window clerks open their hall's kiosk and screen.
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Space, Table, Tag } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { errorText, fieldProps } from '../lib/api';
import { queueApi, type Hall, type QueueWindow } from '../lib/queue';
import { hasRole, useSession, useT } from '../lib/session';

export function HallsPage() {
  const t = useT();
  const { user } = useSession();
  const qc = useQueryClient();
  const [editing, setEditing] = useState<Hall>();
  const [form] = Form.useForm<{ periods: string; slotMinutes: number; capacity: number }>();
  const halls = useQuery({ queryKey: ['halls'], queryFn: queueApi.halls });
  const canEdit = hasRole(user, 'policy') || hasRole(user, 'admin');
  const save = useMutation({
    mutationFn: (v: { periods: string; slotMinutes: number; capacity: number }) => queueApi.setBooking(editing!.id, v.periods, v.slotMinutes, v.capacity),
    onSuccess: () => { setEditing(undefined); void qc.invalidateQueries({ queryKey: ['halls'] }); },
  });
  // A window tag opens or pauses the window (policy staff and administrators); 添加窗口 adds one serving every matter,
  // named as the hall names it (the call screen reads it out) whatever the UI's language.
  const toggle = useMutation({ mutationFn: ({ hall, w }: { hall: string; w: QueueWindow }) => queueApi.setWindow(hall, { ...w, open: !w.open }), onSettled: () => void qc.invalidateQueries({ queryKey: ['halls'] }) });
  const add = useMutation({ mutationFn: (hall: Hall) => queueApi.addWindow(hall.id, `${hall.windows.length + 1}号窗口`), onSettled: () => void qc.invalidateQueries({ queryKey: ['halls'] }) });
  const shown = (halls.data ?? []).filter((h) => canEdit || h.name === user?.department);
  return (
    <Card title={t('大厅排队', 'Halls and queues')} size="small">
      {(halls.error ?? toggle.error ?? add.error) && <Alert type="error" showIcon message={errorText(halls.error ?? toggle.error ?? add.error)} />}
      <Table<Hall> size="small" rowKey="id" loading={halls.isPending} dataSource={shown} pagination={false} scroll={{ x: true }}
        columns={[
          { title: t('大厅', 'Hall'), dataIndex: 'name' },
          { title: t('预约开放时段', 'Booking hours'), render: (_, h) => h.periods ? h.periods.replaceAll(',', '，') : t('不接受预约', 'no bookings') },
          { title: t('每时段', 'Slot'), render: (_, h) => h.slotMinutes ? t(`${h.slotMinutes} 分钟，可约 ${h.capacity} 人`, `${h.slotMinutes} min, ${h.capacity} places`) : '—' },
          { title: t('窗口', 'Windows'), render: (_, h) => <Space wrap size={4}>{h.windows.map((w) => <Tag key={w.id} color={w.open ? 'green' : 'default'} style={canEdit ? { cursor: 'pointer' } : undefined} title={canEdit ? t('点击暂停或开放', 'Click to pause or open') : undefined} onClick={canEdit ? () => toggle.mutate({ hall: h.id, w }) : undefined}>{w.open ? w.name : t(`${w.name}（暂停）`, `${w.name} (paused)`)}</Tag>)}{canEdit && <Button size="small" type="dashed" loading={add.isPending} onClick={() => add.mutate(h)}>{t('添加窗口', 'Add window')}</Button>}</Space> },
          {
            title: '',
            render: (_, h) => (
              <Space wrap>
                {h.name === user?.department && <Link to={`/hall/${h.id}/kiosk`} data-testid="hall-kiosk">{t('取号机', 'Kiosk')}</Link>}
                <Link to={`/hall/${h.id}/screen`} target="_blank" data-testid="hall-screen">{t('叫号屏', 'Call screen')}</Link>
                {canEdit && <Button size="small" onClick={() => { setEditing(h); form.setFieldsValue({ periods: h.periods ?? '09:00-12:00,14:00-18:00', slotMinutes: h.slotMinutes ?? 30, capacity: h.capacity ?? 2 }); }}>{t('设置预约', 'Booking rules')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={!!editing} title={editing?.name} onCancel={() => setEditing(undefined)} onOk={() => form.validateFields().then((v) => save.mutate(v), () => undefined)} confirmLoading={save.isPending}>
        <Form form={form} layout="vertical">
          <Form.Item name="periods" label={t('开放时段（如 09:00-12:00,14:00-18:00）', 'Opening periods (e.g. 09:00-12:00,14:00-18:00)')} rules={[{ required: true }]} {...fieldProps(save.error, 'periods')}><Input /></Form.Item>
          <Form.Item name="slotMinutes" label={t('每个时段（分钟）', 'Slot length (minutes)')} rules={[{ required: true }]} {...fieldProps(save.error, 'slotMinutes')}><InputNumber min={10} max={120} /></Form.Item>
          <Form.Item name="capacity" label={t('每个时段可约人数', 'Places per slot')} rules={[{ required: true }]} {...fieldProps(save.error, 'capacity')}><InputNumber min={1} max={100} /></Form.Item>
        </Form>
        {save.error && <Alert type="error" showIcon message={errorText(save.error)} />}
      </Modal>
    </Card>
  );
}
