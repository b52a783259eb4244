import { describe, expect, it } from 'vitest';
import { problemMessage } from '../lib/api';
import { csvCell, daysLeftText, toCsv } from '../lib/format';
import { ageFromIdNumber, isValidIdNumber } from '../lib/identity';
import { actionsFor, completeBody, missingFor } from '../lib/tasks';
import { levelFromStars } from '../pages/Progress';

describe('task actions', () => {
  it('offers review actions and asks for an opinion on all but approve', () => {
    const actions = actionsFor('GovFlow.ReviewTask');
    expect(actions.map((a) => a.value)).toEqual(['approve', 'reject', 'return', 'requestCorrection', 'transfer']);
    expect(actions.filter((a) => a.needsOpinion).map((a) => a.value)).toEqual(['reject', 'return', 'requestCorrection', 'transfer']);
  });

  it('names what is still missing before an action can be sent', () => {
    const correction = actionsFor('GovFlow.ReviewTask').find((a) => a.value === 'requestCorrection');
    expect(missingFor(correction, { action: 'requestCorrection' })).toEqual(['opinion', 'materials']);
    expect(missingFor(correction, { action: 'requestCorrection', opinion: '不清晰', materials: ['照片'] })).toEqual([]);
    const transfer = actionsFor('GovFlow.ReviewTask').find((a) => a.value === 'transfer');
    expect(missingFor(transfer, { action: 'transfer', opinion: '  ' })).toEqual(['opinion', 'assignee']);
    expect(missingFor(undefined, { action: '' })).toEqual(['action']);
  });

  it('gives parallel departments agree, agree pending, and disagree with reasons', () => {
    const actions = actionsFor('GovFlow.ParallelOpinion');
    expect(actions.map((a) => [a.value, a.needsOpinion])).toEqual([['agree', false], ['agreePending', false], ['disagree', true]]);
  });

  it('resolves a bad rating only at the resolution stage', () => {
    expect(actionsFor('GovFlow.Rectification', 'resolve').map((a) => a.value)).toEqual(['rectify', 'explain', 'appeal']);
    expect(actionsFor('GovFlow.Rectification', 'verify').map((a) => a.value)).toEqual(['done']);
    expect(actionsFor('Elsa.Delay')).toEqual([]);
  });

  it('sends supplied materials without an action, and trims what was typed', () => {
    expect(completeBody({ action: 'supply', materials: ['照片'] })).toEqual({ action: null, opinion: null, materials: ['照片'], assignee: null, returnTo: null });
    expect(completeBody({ action: 'transfer', opinion: ' 请协办 ', assignee: ' reviewer03 ' })).toMatchObject({ action: 'transfer', opinion: '请协办', assignee: 'reviewer03' });
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

  it('quotes CSV cells that need it and writes objects as JSON', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('说"明"')).toBe('"说""明"""');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvCell(null)).toBe('');
    expect(toCsv([{ n: 1, s: 'x\ny' }], ['n', 's'])).toBe('n,s\r\n1,"x\ny"');
  });

  it('turns problem details into words with the fields named', () => {
    expect(problemMessage(400, { title: 'Bad input', errors: { 'applicant.idNumber': ['not valid'] } }).message).toBe('Bad input — applicant.idNumber: not valid');
    expect(problemMessage(409, { detail: 'Task was completed by reviewer01.' }).message).toBe('Task was completed by reviewer01.');
    expect(problemMessage(502, undefined).message).toBe('HTTP 502');
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
