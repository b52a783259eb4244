// Filters in the query string: reload and back keep them, and a link shows someone else the same list.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * The named query-string parameters with their defaults (a default is left out of the URL), and a setter that
 * changes some of them. Changing any filter but `page` goes back to the first page.
 */
export function useUrlFilters<K extends string>(defaults: Record<K, string>) {
  const [search, setSearch] = useSearchParams();
  const names = Object.keys(defaults) as K[];
  const values = useMemo(
    () => Object.fromEntries(names.map((n) => [n, search.get(n) ?? defaults[n]])) as Record<K, string>,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [search.toString()],
  );
  const set = useCallback(
    (patch: Partial<Record<K, string | undefined | null>>) =>
      setSearch(
        (old) => {
          const next = new URLSearchParams(old);
          for (const [k, v] of Object.entries(patch) as [K, string | undefined | null][]) {
            if (v === undefined || v === null || v === '' || v === defaults[k]) next.delete(k);
            else next.set(k, v);
          }
          if (!('page' in patch)) next.delete('page');
          return next;
        },
        { replace: false },
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [setSearch],
  );
  return [values, set] as const;
}

/** A filter value for the API: empty means "not filtered". */
export const opt = (v: string) => (v === '' ? undefined : v);
