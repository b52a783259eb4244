// Loading, error and empty states every page shows the same way.
import { Alert, Empty, Spin } from 'antd';
import type { ReactNode } from 'react';
import { errorText } from './api';
import { useT } from './session';

export function Loadable({ loading, error, empty, children }: { loading: boolean; error?: unknown; empty?: boolean; children: ReactNode }) {
  const t = useT();
  if (error) return <Alert type="error" showIcon message={t('出错了', 'Something went wrong')} description={errorText(error)} data-testid="error" />;
  if (loading) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (empty) return <Empty />;
  return <>{children}</>;
}
