// Small pure helpers the pages share: warning lights, statuses, dates, CSV.
import dayjs from 'dayjs';

export type Warning = 'green' | 'yellow' | 'red';

export const warningColor: Record<Warning, string> = { green: '#52c41a', yellow: '#faad14', red: '#f5222d' };

/** The host sends the light as a string: green, yellow or red. */
export const isWarning = (w: string): w is Warning => Object.hasOwn(warningColor, w);

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

/**
 * A CSV cell: quoted when it holds a comma, quote or line break. Text that a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a carriage return) is prefixed with ' so it opens as text.
 */
export function csvCell(value: unknown): string {
  const raw = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
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

/** Words for the codes the host sends, [zh, en]; a code with no words is shown as it is. */
export type Words = Record<string, [string, string]>;

export const channelNames: Words = { window: ['窗口', 'window'], pc: ['网上办事大厅', 'online'], mobile: ['移动端', 'mobile'], courier: ['邮寄', 'by post'], selfService: ['自助终端', 'self-service'] };
export const unitNames: Words = { WD: ['个工作日', ' working days'], ND: ['个自然日', ' days'], WH: ['个工作小时', ' working hours'] };
export const pauseNames: Words = { Correction: ['补正', 'correction'], Hearing: ['听证', 'hearing'], SiteInspection: ['现场勘查', 'site inspection'], ExpertReview: ['专家评审', 'expert review'], Testing: ['检测', 'testing'], Other: ['其他特别程序', 'other'],
  Tendering: ['招标', 'tendering'], Auction: ['拍卖', 'auction'], Inspection: ['检验', 'inspection'], Quarantine: ['检疫', 'quarantine'], Appraisal: ['鉴定', 'appraisal'] };
export const certificateOutcomeNames: Words = { Found: ['已调取', 'found'], NotFound: ['未查到', 'not found'], Invalid: ['已失效', 'invalid'], Unavailable: ['系统不可用', 'unavailable'] };
export const stepActionNames: Words = {
  pass: ['通过', 'passed'],
  reject: ['不予通过', 'rejected'],
  return: ['退回', 'returned'],
  transfer: ['转办', 'transferred'],
  requestCorrection: ['要求补正', 'correction requested'],
  extend: ['延期', 'extended'],
  specialProcedure: ['启动特别程序', 'special procedure started'],
  specialProcedureEnd: ['特别程序结束', 'special procedure ended'],
  manual: ['转人工审核', 'to manual review'],
  accept: ['受理', 'accepted'],
  notAccepted: ['不予受理', 'not accepted'],
  Accepted: ['受理', 'accepted'],
  ToleranceAccepted: ['容缺受理', 'accepted with tolerance'],
  DeemedAccepted: ['视为受理', 'deemed accepted'],
  NotAccepted: ['不予受理', 'not accepted'],
  Withdrawn: ['撤回', 'withdrawn'],
  AllApproved: ['全部通过', 'all approved'],
  PartiallyApproved: ['部分通过', 'partially approved'],
  Rejected: ['不通过', 'rejected'],
  agree: ['同意', 'agree'],
  agreePending: ['同意（待上级审批）', 'agree pending approval'],
  disagree: ['不同意', 'disagree'],
};

export const waybillStatusNames: Words = {
  created: ['已下单', 'created'],
  collected: ['已揽收', 'collected'],
  inTransit: ['运输中', 'in transit'],
  delivered: ['已送达', 'delivered'],
  returned: ['已退回', 'returned'],
  failed: ['投递失败', 'failed'],
};
export const taskStatusNames: Words = { Open: ['未签收', 'open'], Claimed: ['已签收', 'claimed'], Completed: ['已办理', 'completed'], Cancelled: ['已撤销', 'cancelled'] };
export const rectificationStageNames: Words = { verify: ['核实', 'verify'], resolve: ['处理', 'resolve'], feedback: ['反馈', 'feedback'] };
export const resolutionNames: Words = { rectify: ['整改', 'rectify'], explain: ['解释说明', 'explain'], appeal: ['申诉', 'appeal'] };
/** Who acted when it was not a signed-in user: the system, the applicant (rating, progress), the EMS tracking feed, the scheduler. */
export const handlerNames: Words = {
  system: ['系统', 'system'],
  applicant: ['申请人', 'applicant'],
  ems: ['邮政EMS', 'EMS'],
  scheduler: ['定时任务', 'scheduler'],
};

/** Who acted: the hall's words where it was not a person (系统, 申请人, 邮政EMS, 定时任务), else the user name. */
/** Is this actor one of the system's own (系统, 申请人, 邮政 EMS…) rather than a person's sign-in name? */
export const isHandlerCode = (actor: string): boolean => Object.hasOwn(handlerNames, actor);

export const actorName = (actor: string | null | undefined, lang: 'zh' | 'en'): string =>
  !actor ? '—' : isHandlerCode(actor) ? handlerNames[actor][lang === 'zh' ? 0 : 1] : actor;

/** The words for a code in the hall's language. */
export const say = (words: Words, code: unknown, lang: 'zh' | 'en'): string => {
  const w = typeof code === 'string' ? words[code] : undefined;
  return w ? w[lang === 'zh' ? 0 : 1] : code === null || code === undefined ? '—' : String(code);
};

/** A time limit as words: 20个工作日 / 20 working days. */
export const limitText = (limit: { value?: number; unit?: string } | undefined, lang: 'zh' | 'en') =>
  limit?.value === undefined ? '—' : `${limit.value}${say(unitNames, limit.unit, lang)}`;

/** The outcomes the catalog's flows connect, as the diagram labels their arrows. */
export const outcomeNames: Words = {
  Unavailable: ['系统不可用', 'Unavailable'],
  Approved: ['通过', 'Approved'],
  Rejected: ['不通过', 'Rejected'],
  Returned: ['退回', 'Returned'],
  Rectified: ['已整改', 'Rectified'],
  Rated: ['已评价', 'Rated'],
  NotFound: ['未查到', 'Not found'],
  Invalid: ['已失效', 'Invalid'],
  Found: ['已调取', 'Found'],
  Failed: ['失败', 'Failed'],
  Delivered: ['已送达', 'Delivered'],
  NotAccepted: ['不予受理', 'Not accepted'],
  Accepted: ['受理', 'Accepted'],
  Issued: ['已出证', 'Issued'],
  ToleranceAccepted: ['容缺受理', 'Accepted with tolerance'],
  Supplied: ['已补齐', 'Supplied'],
  ManualReview: ['转人工', 'Manual review'],
  Expired: ['逾期', 'Expired'],
  PartiallyApproved: ['部分通过', 'Partially approved'],
  AllApproved: ['全部通过', 'All approved'],
  ByPost: ['申请人选择邮寄', 'By post'],
  True: ['是', 'Yes'],
  False: ['否', 'No'],
};

/** Priority service kinds (绿色通道), as the priority register and flagged cases carry them. */
export const priorityKindNames: Words = { green: ['绿色通道', 'Green channel'], 'key-enterprise': ['重点企业', 'Key enterprise'], vip: ['贵宾服务', 'VIP'] };

/** Case statuses in both languages (statusNames above is the Chinese alone, which older pages read). */
export const statusWords: Words = {
  Received: ['已收件', 'received'],
  Accepted: ['已受理', 'accepted'],
  InReview: ['审查中', 'in review'],
  Correction: ['补正中', 'awaiting correction'],
  Suspended: ['已中止', 'suspended'],
  Completed: ['已办结', 'completed'],
  CompletedWithTolerance: ['容缺办结', 'completed with tolerance'],
  Refused: ['不予许可', 'refused'],
  NotAccepted: ['不予受理', 'not accepted'],
  Withdrawn: ['已撤回', 'withdrawn'],
  Revoked: ['已撤销', 'revoked'],
};

/** Offers bytes the host sent (an export) as a file download. */
export function downloadBlob(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** The journal's event names (engine and domain), for the replay's raw records. */
export const journalEventNames: Words = {
  Started: ['开始', 'started'],
  Completed: ['完成', 'completed'],
  Suspended: ['等待办理', 'waiting'],
  Resumed: ['继续办理', 'resumed'],
  Faulted: ['出错', 'faulted'],
  Canceled: ['已取消', 'cancelled'],
  CancelRequested: ['请求取消', 'cancel requested'],
  CaseFileRecorded: ['记录办件信息', 'case file recorded'],
  DocumentIssued: ['出具文书', 'document issued'],
  DueDatesRecomputed: ['重新计算时限', 'due dates recomputed'],
  CertificateUsed: ['调取电子证照', 'e-certificate looked up'],
  PopulationUsed: ['查询人口信息', 'population record looked up'],
  ConsentRecorded: ['记录授权同意', 'consent recorded'],
  CorrectionRequested: ['一次性告知补正', 'correction requested'],
  ResultIssued: ['出具办理结果', 'result issued'],
  DeemedAccepted: ['视为受理', 'deemed accepted'],
  ToleranceNotice: ['容缺受理告知', 'tolerance notice'],
  ToleranceExpired: ['容缺材料逾期未补', 'tolerance expired'],
  ToleranceRefused: ['不予容缺', 'tolerance refused'],
  ToleranceReminder: ['容缺补齐提醒', 'tolerance reminder'],
  SpecialProcedureStarted: ['启动特别程序', 'special procedure started'],
  SpecialProcedureEnded: ['特别程序结束', 'special procedure ended'],
  Extended: ['延期', 'extended'],
  ParallelOpinion: ['并联审批意见', 'parallel opinion'],
  Rectification: ['整改', 'rectification'],
  MailingProblem: ['寄递异常', 'mailing problem'],
  OpenWorkCancelled: ['撤销其他待办', 'open work cancelled'],
  Migrated: ['迁移至新版本', 'migrated'],
  DispatchFailed: ['派发失败', 'dispatch failed'],
  ProcessLogFailed: ['过程信息上报失败', 'process report failed'],
  ConditionError: ['条件计算出错', 'condition error'],
};
