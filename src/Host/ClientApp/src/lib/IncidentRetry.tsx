// The one way to retry a faulted step (异常), on the exceptions page and on the case page alike.
import { App, Button } from 'antd';
import { errorText } from './api';
import { useRetryIncident, type IncidentRef } from './queries';
import { useT } from './session';

export function RetryIncidentButton({ incident, size = 'small' }: { incident: IncidentRef; size?: 'small' | 'middle' }) {
  const t = useT();
  const { message } = App.useApp();
  const retry = useRetryIncident();
  const run = () =>
    retry.mutate(incident, {
      onSuccess: () => void message.success(t('已重试，办件已继续', 'Retried; the case goes on')),
      // A 409 carries the host's own words (the step faulted again, or it was already retried).
      onError: (e) => void message.error(errorText(e)),
    });
  return (
    <Button size={size} type="primary" ghost loading={retry.isPending} onClick={run} data-testid="incident-retry">
      {t('重试', 'Retry')}
    </Button>
  );
}
