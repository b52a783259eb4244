// 叫号屏: the hall's display, public, in large print: the latest calls ("请 Y003 号到 3号窗口办理") and how many wait.
// Numbers and windows only; it polls every five seconds.
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import { errorText } from '../lib/api';
import { queueApi } from '../lib/queue';
import { useT } from '../lib/session';

export function HallScreenPage() {
  const t = useT();
  const { id = '' } = useParams();
  const screen = useQuery({ queryKey: ['hall', id, 'screen'], queryFn: () => queueApi.screen(id), refetchInterval: 5000 });
  const [latest, ...earlier] = screen.data?.calls ?? [];
  return (
    <div style={{ minHeight: '100vh', background: '#7a0e0e', color: '#fff', padding: '3vh 4vw', boxSizing: 'border-box', fontFamily: 'sans-serif' }} data-testid="screen">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', fontSize: 40 }}>
        <b>{screen.data?.hallName ?? ''}</b>
        <span style={{ fontSize: 32 }}>{t(`等候 ${screen.data?.waiting ?? 0} 人`, `${screen.data?.waiting ?? 0} waiting`)}</span>
      </div>
      {screen.error && <div style={{ fontSize: 28 }}>{errorText(screen.error)}</div>}
      <div style={{ fontSize: 96, fontWeight: 700, textAlign: 'center', margin: '6vh 0', color: '#ffe58f' }} data-testid="screen-latest">
        {latest ? t(`请 ${latest.number} 号到 ${latest.windowName}办理`, `Number ${latest.number}, please go to ${latest.windowName}`) : t('请留意叫号', 'Please wait for your number')}
      </div>
      <div style={{ display: 'flex', gap: '4vw' }}>
        <div style={{ flex: 2 }}>
          <div style={{ fontSize: 36, borderBottom: '2px solid #fff', marginBottom: 12 }}>{t('最近叫号', 'Recent calls')}</div>
          {earlier.map((c) => (
            <div key={c.number + c.at} style={{ fontSize: 44, display: 'flex', justifyContent: 'space-between' }} data-testid="screen-call">
              <b>{c.number}</b>
              <span>{c.windowName}</span>
            </div>
          ))}
        </div>
        <div style={{ flex: 1 }}>
          <div style={{ fontSize: 36, borderBottom: '2px solid #fff', marginBottom: 12 }}>{t('各事项等候', 'Waiting per matter')}</div>
          {(screen.data?.byMatter ?? []).map((m) => (
            <div key={m.matterName} style={{ fontSize: 30, display: 'flex', justifyContent: 'space-between', gap: 16 }}>
              <span>{m.matterName}</span>
              <b>{m.count}</b>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
