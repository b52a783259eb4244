import { Alert, App, Button, Card, InputNumber, Space, Table, Tag, Typography, Upload } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorText } from '../lib/api';
import { ProvisionalMark } from '../lib/ProvisionalMark';
import { Loadable } from '../lib/Page';
import { queries, useLoadNotice, type HolidayNotice } from '../lib/queries';
import { hasRole, useSession, useT } from '../lib/session';

/**
 * A year's holidays as they are in force (its State Council notice, or the statute's days while it has none), and
 * for policy staff the loading of a notice file: the host validates it, puts it in force on every node and counts
 * again the dates of the open cases it touches.
 */
export function CalendarPage() {
  const t = useT();
  const { user } = useSession();
  const { message } = App.useApp();
  const [year, setYear] = useState(() => new Date().getFullYear() + 1);
  const view = useQuery(queries.calendarYear(year));
  const loading = useLoadNotice();
  const policy = hasRole(user, 'policy');
  const loadFile = async (file: File) => {
    loading.reset();
    try {
      const notice = JSON.parse(await file.text()) as HolidayNotice;
      const result = await loading.mutateAsync(notice);
      setYear(result.year);
      message.success(t(`已载入 ${result.year} 年放假安排，${result.redated.length} 件办件期限已重新计算`, `Loaded ${result.year}; ${result.redated.length} cases recounted`));
    } catch (e) {
      if (e instanceof SyntaxError) message.error(t('文件不是有效的 JSON', 'The file is not valid JSON'));
    }
    return false;
  };
  const v = view.data;
  return (
    <Card
      size="small"
      title={
        <Space>
          {t('节假日安排', 'Holidays')}
          <InputNumber size="small" min={1901} max={2100} value={year} onChange={(y) => y && setYear(y)} data-testid="calendar-year" />
        </Space>
      }
      extra={policy && (
        <Upload accept=".json" showUploadList={false} beforeUpload={loadFile}>
          <Button size="small" loading={loading.isPending} data-testid="load-notice">{t('载入放假通知', 'Load notice')}</Button>
        </Upload>
      )}
    >
      {loading.error && <Alert type="error" showIcon message={errorText(loading.error)} style={{ marginBottom: 8 }} data-testid="notice-error" />}
      {loading.data && loading.data.redated.length > 0 && (
        <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t('期限已重新计算的办件：', 'Cases recounted: ') + loading.data.redated.join('、')} data-testid="redated" />
      )}
      <Loadable loading={view.isLoading} error={view.error}>
        {v && (
          <>
            <Typography.Paragraph>
              {v.provisional ? <ProvisionalMark provisional /> : <Tag color="green">{t('已载入通知', 'notice loaded')}</Tag>}
              {v.source}
            </Typography.Paragraph>
            <Table
              size="small"
              rowKey={(h) => h.name + h.from}
              pagination={false}
              dataSource={v.holidays}
              columns={[
                { title: t('节日', 'Holiday'), dataIndex: 'name' },
                { title: t('放假', 'Off'), render: (_, h) => (h.from === h.to ? h.from : `${h.from} ～ ${h.to}`) },
                {
                  title: t('调休上班', 'Make-up working days'),
                  render: (_, h) => v.workdays.filter((w) => w.for === h.name).map((w) => w.date).join('、') || '—',
                },
              ]}
            />
          </>
        )}
      </Loadable>
    </Card>
  );
}
