// Loading, error and empty states every page shows the same way.
import { Alert, Empty, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';

/** Loads data and reloads on demand; errors are kept as words. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(true);
  // The caller names what the load depends on, as with useEffect.
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    setLoading(true);
    setError(undefined);
    run()
      .then(setData)
      .catch((e: unknown) => setError(e instanceof ApiError || e instanceof Error ? e.message : String(e)))
      .finally(() => setLoading(false));
  }, [run]);
  useEffect(reload, [reload]);
  return { data, error, loading, reload, setData };
}

export function Loadable({ loading, error, empty, children }: { loading: boolean; error?: string; empty?: boolean; children: ReactNode }) {
  if (error) return <Alert type="error" showIcon message="出错了 / Something went wrong" description={error} data-testid="error" />;
  if (loading) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  if (empty) return <Empty />;
  return <>{children}</>;
}
