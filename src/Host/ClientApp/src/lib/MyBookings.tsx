// 预约办事: the applicant books a slot at a hall for a matter, sees the booking code to show at the kiosk, and cancels
// before the slot begins. One column, so it works at phone width.
import { Alert, App, Button, Card, List, Select, Space, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText } from './api';
import { hallDay, hallTime, queueApi, type Booking } from './queue';
import { useT } from './session';

const bookingColor = (b: Booking) => (b.status === 'booked' ? (b.canCancel ? 'green' : 'default') : b.status === 'arrived' ? 'blue' : 'default');

export function MyBookings() {
  const t = useT();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [hall, setHall] = useState<string>();
  const [matter, setMatter] = useState<string>();
  const [day, setDay] = useState<string>();
  const options = useQuery({ queryKey: ['my', 'bookings', 'options'], queryFn: queueApi.options });
  const mine = useQuery({ queryKey: ['my', 'bookings', 'list'], queryFn: queueApi.mine });
  const slots = useQuery({ queryKey: ['my', 'bookings', 'slots', hall, matter], queryFn: () => queueApi.slots(hall!, matter!, 5), enabled: !!hall && !!matter });
  const days = [...new Set((slots.data ?? []).map((s) => hallDay(s.start)))];
  const shownDay = day && days.includes(day) ? day : days[0];
  const refresh = () => void qc.invalidateQueries({ queryKey: ['my', 'bookings'] });
  const book = useMutation({
    mutationFn: (start: string) => queueApi.book(hall!, matter!, start),
    onSuccess: (b) => {
      message.success(t(`预约成功，预约码 ${b.code}`, `Booked: code ${b.code}`));
      refresh();
    },
    onError: refresh,
  });
  const cancel = useMutation({ mutationFn: queueApi.cancel, onSuccess: refresh, onError: (e) => message.error(errorText(e)) });
  return (
    <Card title={t('预约办事', 'Book a visit')} size="small" data-testid="my-bookings">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Select style={{ width: '100%' }} placeholder={t('选择办事大厅', 'Pick a hall')} value={hall} onChange={setHall} data-testid="booking-hall" showSearch optionFilterProp="label"
          options={(options.data?.halls ?? []).map((h) => ({ value: h.id, label: h.name }))} />
        <Select style={{ width: '100%' }} placeholder={t('选择要办理的事项', 'Pick a matter')} value={matter} onChange={setMatter} data-testid="booking-matter"
          showSearch optionFilterProp="label" options={(options.data?.matters ?? []).map((m) => ({ value: m.id, label: m.name }))} />
        {slots.error && <Alert type="error" showIcon message={errorText(slots.error)} />}
        {book.error && <Alert type="error" showIcon message={errorText(book.error)} data-testid="booking-error" />}
        {hall && matter && (
          <>
            <Space wrap>
              {days.map((d) => (
                <Button key={d} size="small" type={d === shownDay ? 'primary' : 'default'} onClick={() => setDay(d)}>{d.slice(5)}</Button>
              ))}
            </Space>
            <Space wrap data-testid="booking-slots">
              {(slots.data ?? []).filter((s) => hallDay(s.start) === shownDay).map((s) => (
                <Button key={s.start} disabled={s.left === 0} loading={book.isPending && book.variables === s.start} onClick={() => book.mutate(s.start)} data-testid="booking-slot">
                  {hallTime(s.start)}–{hallTime(s.end)} · {s.left === 0 ? t('已约满', 'full') : t(`余 ${s.left}`, `${s.left} left`)}
                </Button>
              ))}
            </Space>
          </>
        )}
        <List<Booking>
          size="small"
          dataSource={mine.data ?? []}
          locale={{ emptyText: t('暂无预约', 'No bookings') }}
          renderItem={(b) => (
            <List.Item key={b.id} data-testid="my-booking" style={{ display: 'block' }}>
              <Space direction="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  <Typography.Text strong>{b.matterName}</Typography.Text>
                  <Tag color={bookingColor(b)}>{t(b.statusName, { 已预约: 'booked', 已取消: 'cancelled', 已取号: 'number taken', 未到场: 'missed' }[b.statusName] ?? b.statusName)}</Tag>
                </Space>
                <Typography.Text type="secondary">{b.hallName} · {hallDay(b.start)} {hallTime(b.start)}–{hallTime(b.end)}</Typography.Text>
                <Space wrap>
                  <Typography.Text>{t('预约码', 'Booking code')} <b data-testid="booking-code">{b.code}</b></Typography.Text>
                  {b.canCancel && <Button size="small" danger loading={cancel.isPending && cancel.variables === b.id} onClick={() => cancel.mutate(b.id)} data-testid="booking-cancel">{t('取消预约', 'Cancel')}</Button>}
                </Space>
              </Space>
            </List.Item>
          )}
        />
      </Space>
    </Card>
  );
}
