import { describe, expect, it } from 'vitest';
import { ApiError, problemMessage } from '../lib/api';
import { channelNames, csvCell, daysLeftText, limitText, say, stepActionNames, toCsv } from '../lib/format';
import { ageFromIdNumber, isValidIdNumber } from '../lib/identity';
import type { TaskActionOffer } from '../lib/model';
import { actionLabel, completeBody, unfilled } from '../lib/tasks';
import { levelFromStars } from '../pages/Progress';

const action = (over: Partial<TaskActionOffer>): TaskActionOffer => ({ name: 'approve', label: '通过', labelEn: 'Approve', opinion: 'none', danger: false, fields: [], ...over });

describe('task actions (as the host declares them)', () => {
  it('names what the declaration requires and the form lacks', () => {
    const correction = action({ name: 'requestCorrection', opinion: 'required', fields: [{ name: 'materials', required: true, label: '缺少的材料', choices: ['照片'] }] });
    expect(unfilled(correction, { action: 'requestCorrection' })).toEqual(['opinion', 'materials']);
    expect(unfilled(correction, { action: 'requestCorrection', opinion: '  ', materials: [] })).toEqual(['opinion', 'materials']);
    expect(unfilled(correction, { action: 'requestCorrection', opinion: '不清晰', materials: ['照片'] })).toEqual([]);
    expect(unfilled(action({ opinion: 'optional', fields: [{ name: 'returnTo', required: false, label: '退回到', choices: null }] }), { action: 'approve' })).toEqual([]);
    expect(unfilled(undefined, { action: '' })).toEqual(['action']);
  });

  it('always sends the action, and only what it asks for, trimmed', () => {
    const supply = action({ name: 'supply', fields: [{ name: 'materials', required: true, label: '已补交的材料', choices: ['照片'] }] });
    expect(completeBody(supply, { action: 'supply', materials: ['照片'], opinion: 'ignored' })).toEqual({ action: 'supply', opinion: null, materials: ['照片'], assignee: null, returnTo: null });
    const transfer = action({ name: 'transfer', opinion: 'required', fields: [{ name: 'assignee', required: true, label: '转给', choices: null }] });
    expect(completeBody(transfer, { action: 'transfer', opinion: ' 请协办 ', assignee: ' reviewer03 ', returnTo: '初审' })).toEqual({ action: 'transfer', opinion: '请协办', assignee: 'reviewer03', returnTo: null, materials: null });
    const extend = action({ name: 'extend', opinion: 'required', fields: [{ name: 'days', required: true, label: '延长工作日', choices: null }, { name: 'approver', required: true, label: '批准人', choices: null }] });
    expect(completeBody(extend, { action: 'extend', opinion: '需核查', days: ' 10 ', approver: '张局长', procedure: '听证' }))
      .toEqual({ action: 'extend', opinion: '需核查', assignee: null, returnTo: null, materials: null, days: '10', approver: '张局长' });
  });

  it('labels an action in the hall language', () => {
    expect(actionLabel(action({}), 'zh')).toBe('通过');
    expect(actionLabel(action({}), 'en')).toBe('Approve');
    expect(actionLabel(action({ labelEn: '' }), 'en')).toBe('通过');
  });
});

describe('formatting', () => {
  it('words working days left, today and overdue', () => {
    expect(daysLeftText(3)).toBe('剩 3 个工作日');
    expect(daysLeftText(0)).toBe('今日到期');
    expect(daysLeftText(-2)).toBe('超期 2 个工作日');
    expect(daysLeftText(-2, 'en')).toBe('2 working days overdue');
    expect(daysLeftText(null)).toBe('—');
  });

  it('says the host\'s codes in the hall\'s language, and shows an unknown code as it is', () => {
    expect(say(channelNames, 'window', 'zh')).toBe('窗口');
    expect(say(channelNames, 'window', 'en')).toBe('window');
    expect(say(stepActionNames, 'requestCorrection', 'zh')).toBe('要求补正');
    expect(say(stepActionNames, 'somethingNew', 'zh')).toBe('somethingNew');
    expect(say(stepActionNames, undefined, 'zh')).toBe('—');
    expect(limitText({ value: 20, unit: 'WD' }, 'zh')).toBe('20个工作日');
    expect(limitText({ value: 5, unit: 'ND' }, 'en')).toBe('5 days');
    expect(limitText(undefined, 'zh')).toBe('—');
  });

  it('quotes CSV cells that need it and writes objects as JSON', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('说"明"')).toBe('"说""明"""');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvCell(null)).toBe('');
    // A cell a spreadsheet would run as a formula opens as text; a negative number stays a number.
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell(-3)).toBe('-3');
    expect(toCsv([{ n: 1, s: 'x\ny' }], ['n', 's'])).toBe('n,s\r\n1,"x\ny"');
  });

  it('turns problem details into words without the host\'s field keys', () => {
    expect(problemMessage(400, { title: '提交的内容有误', errors: { 'applicant.idNumber': ['身份证号码不正确'] } }).message).toBe('提交的内容有误 — 身份证号码不正确');
    expect(problemMessage(400, { title: '提交的内容有误', detail: '每页条数为 1 至 100', errors: { pageSize: ['每页条数为 1 至 100'] } }).message).toBe('每页条数为 1 至 100');
    expect(problemMessage(409, { detail: '该待办已由他人签收。' }).message).toBe('该待办已由他人签收。');
    expect(problemMessage(502, undefined).message).toBe('请求未成功（502）');
  });

  it('finds the reasons for a form field whatever the host calls it', () => {
    const e = new ApiError(400, '意见不能为空', { Opinion: ['请填写意见'], 'body.materials': ['请选择材料'] });
    expect(e.fieldErrors('opinion')).toEqual(['请填写意见']);
    expect(e.fieldErrors('materials')).toEqual(['请选择材料']);
    expect(e.fieldErrors('assignee')).toEqual([]);
  });
});

describe('ID numbers and ratings', () => {
  it('checks the check digit and reads the age', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(ageFromIdNumber('11010519491231002X', new Date(2026, 11, 30))).toBe(76);
    expect(ageFromIdNumber('11010519491231002X', new Date(2026, 11, 31))).toBe(77);
    expect(ageFromIdNumber('bad')).toBeUndefined();
  });

  it('maps five stars to level 1 (非常满意) and one star to level 5', () => {
    expect([5, 4, 3, 2, 1].map(levelFromStars)).toEqual([1, 2, 3, 4, 5]);
  });
});
