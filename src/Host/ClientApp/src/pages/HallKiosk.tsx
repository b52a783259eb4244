// 取号机: the hall's kiosk (a device signed in as one of its clerks). A visitor takes a number with today's booking
// code or for a matter as a walk-in; the slip shows the number and how many are ahead, never a name.
import { Alert, Button, Card, Input, Result, Select, Space, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { errorText } from '../lib/api';
import { queries } from '../lib/queries';
import { queueApi } from '../lib/queue';
import { useT } from '../lib/session';

export function HallKioskPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [code, setCode] = useState('');
  const [matter, setMatter] = useState<string>();
  const matters = useQuery(queries.matters());
  const take = useMutation({ mutationFn: (body: { bookingCode?: string; matterCode?: string }) => queueApi.take(id, body) });
  if (take.data)
    return (
      <Result
        status="success"
        title={<span style={{ fontSize: 56 }} data-testid="kiosk-number">{take.data.number}</span>}
        subTitle={<Typography.Text style={{ fontSize: 20 }}>{take.data.matterName} · {t(`前面还有 ${take.data.ahead} 人`, `${take.data.ahead} ahead of you`)}</Typography.Text>}
        extra={<Button size="large" type="primary" onClick={() => { take.reset(); setCode(''); setMatter(undefined); }} data-testid="kiosk-next">{t('完成', 'Done')}</Button>}
      />
    );
  return (
    <Space direction="vertical" size="large" style={{ width: '100%', maxWidth: 640, margin: '0 auto', display: 'flex' }}>
      <Card title={<span style={{ fontSize: 22 }}>{t('已预约：输入预约码取号', 'Booked: enter your booking code')}</span>}>
        <Space.Compact style={{ width: '100%' }}>
          <Input size="large" inputMode="numeric" maxLength={6} value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))} placeholder={t('6 位预约码', '6-digit code')} data-testid="kiosk-code" />
          <Button size="large" type="primary" disabled={code.length !== 6} loading={take.isPending} onClick={() => take.mutate({ bookingCode: code })} data-testid="kiosk-take-booked">{t('取号', 'Take a number')}</Button>
        </Space.Compact>
      </Card>
      <Card title={<span style={{ fontSize: 22 }}>{t('未预约：选择事项取号', 'No booking: pick a matter')}</span>}>
        <Space.Compact style={{ width: '100%' }}>
          <Select size="large" showSearch optionFilterProp="label" style={{ flex: 1 }} value={matter} onChange={setMatter} placeholder={t('选择事项', 'Pick a matter')} data-testid="kiosk-matter"
            options={(matters.data ?? []).map((m) => ({ value: m.code, label: m.name }))} />
          <Button size="large" type="primary" disabled={!matter} loading={take.isPending} onClick={() => take.mutate({ matterCode: matter })} data-testid="kiosk-take-walkin">{t('取号', 'Take a number')}</Button>
        </Space.Compact>
      </Card>
      {take.error && <Alert type="error" showIcon message={errorText(take.error)} data-testid="kiosk-error" />}
    </Space>
  );
}
