import { Tag, Tooltip } from 'antd';
import { useT } from './session';

/**
 * Marks a date counted over a year whose State Council holiday notice is not loaded yet: the host computed it from
 * the statute's holidays, and it moves when the notice is loaded.
 */
export function ProvisionalMark({ provisional }: { provisional: boolean | undefined }) {
  const t = useT();
  if (!provisional) return null;
  return (
    <Tooltip title={t('当年放假安排通知尚未载入，日期按法定节假日推算，载入通知后将重新计算', 'The year’s holiday notice is not loaded yet; computed from the statutory holidays and recomputed once it is')}>
      <Tag color="orange" data-testid="provisional" style={{ marginInlineStart: 4 }}>
        {t('暂按法定节假日计算', 'provisional')}
      </Tag>
    </Tooltip>
  );
}
