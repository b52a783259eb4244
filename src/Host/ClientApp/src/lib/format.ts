// Small pure helpers the pages share: warning lights, statuses, dates, CSV.
import dayjs from 'dayjs';

export type Warning = 'green' | 'yellow' | 'red';

export const warningColor: Record<Warning, string> = { green: '#52c41a', yellow: '#faad14', red: '#f5222d' };

export const statusNames: Record<string, string> = {
  Received: '已收件',
  Accepted: '已受理',
  InReview: '审查中',
  Correction: '补正中',
  Suspended: '已中止',
  Completed: '已办结',
  CompletedWithTolerance: '容缺办结',
  Refused: '不予许可',
  NotAccepted: '不予受理',
  Withdrawn: '已撤回',
  Revoked: '已撤销',
};

export const statusColor = (status: string) =>
  ({ Completed: 'green', CompletedWithTolerance: 'cyan', Refused: 'red', NotAccepted: 'red', Correction: 'orange', Suspended: 'volcano', InReview: 'blue', Accepted: 'geekblue' })[status] ?? 'default';

export const moment = (iso?: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');

/** Text for the working days left on a task: overdue shows how far past. */
export function daysLeftText(days: number | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  if (days === null || days === undefined) return '—';
  if (days < 0) return lang === 'zh' ? `超期 ${-days} 个工作日` : `${-days} working days overdue`;
  if (days === 0) return lang === 'zh' ? '今日到期' : 'due today';
  return lang === 'zh' ? `剩 ${days} 个工作日` : `${days} working days left`;
}

/** A CSV cell: quoted when it holds a comma, quote or line break. */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV with a header line, columns in the order given. */
export function toCsv<T extends Record<string, unknown>>(rows: T[], columns: (keyof T & string)[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\r\n');
}

/** Offers text as a file download. */
export function download(name: string, text: string, type: string) {
  // A byte-order mark lets spreadsheet programs read the Chinese in CSV files as UTF-8.
  const blob = new Blob([type === 'text/csv' ? '\ufeff' + text : text], { type: `${type};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

