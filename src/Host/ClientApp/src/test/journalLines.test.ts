import { describe, expect, it } from 'vitest';
import { businessLines, lineSentence } from '../lib/journalLines';
import { journal } from './journalRecords';

const names = { reviewer01: '王审核', window01: '林窗口' };

describe('the journal in business terms', () => {
  const lines = businessLines(journal, 'zh', names);
  const sentences = lines.map((l) => lineSentence(l, 'zh'));

  it('reads a review approval with its opinion: who, at which step, what, and points at its raw record', () => {
    const approval = lines.find((l) => l.what === '通过')!;
    expect(lineSentence(approval, 'zh')).toBe('王审核（reviewer01）在 初审 通过：材料齐全');
    expect(approval.sequence).toBe(15);
    expect(approval.timestamp).toBe('2026-12-03T00:47:00Z');
  });

  it('reads a transfer with its target, a correction request and the supplement with their materials, a parallel opinion', () => {
    expect(sentences).toContain('王审核（reviewer01）在 初审 转办：请协办（转交 reviewer03）');
    expect(sentences).toContain('reviewer03 在 初审 要求补正：材料不清晰，请补正（材料：平面图、健康证明）');
    expect(sentences).toContain('申请人 在 初审 材料已补齐（材料：平面图、健康证明）');
    expect(sentences).toContain('fire01 在 并联审查 并联意见 不同意：不符合消防安全要求（消防救援大队）');
  });

  it('shows the case received, the acceptance and the system facts, and hides the engine events', () => {
    expect(sentences).toEqual([
      '林窗口（window01）在 食品经营许可 收件',
      '林窗口（window01）在 调取电子营业执照 调取电子证照 营业执照（已调取）',
      '林窗口（window01）在 一窗受理 受理',
      '王审核（reviewer01）在 初审 转办：请协办（转交 reviewer03）',
      'reviewer03 在 初审 要求补正：材料不清晰，请补正（材料：平面图、健康证明）',
      '申请人 在 初审 材料已补齐（材料：平面图、健康证明）',
      '王审核（reviewer01）在 初审 通过：材料齐全',
      'fire01 在 并联审查 并联意见 不同意：不符合消防安全要求（消防救援大队）',
      '王审核（reviewer01）在 出证 出具 食品经营许可证（JY1440305）',
    ]);
    expect(sentences.join('\n')).not.toMatch(/Started|Suspended|Resumed|CaseFileRecorded|review1|cert1/);
  });

  it('speaks English, and names the system where no one acted', () => {
    const en = businessLines(journal, 'en', names).map((l) => lineSentence(l, 'en'));
    expect(en).toContain('王审核 (reviewer01) at 初审: passed — 材料齐全');
    expect(en).toContain('fire01 at 并联审查: parallel opinion: disagree — 不符合消防安全要求 (消防救援大队)');
    expect(en).toContain('reviewer03 at 初审: correction requested — 材料不清晰，请补正 (materials: 平面图, 健康证明)');
    const deemed = businessLines([{ ...journal[17], actor: null, payload: { department: '公安分局', decision: 'agree', deemed: true } }], 'zh');
    expect(lineSentence(deemed[0], 'zh')).toBe('系统 在 并联审查 并联意见 视为同意（公安分局）');
    const fault = businessLines([{ ...journal[0], sequence: 99, eventName: 'Faulted', actor: null, message: '证照系统超时', activityName: '调取电子营业执照' }], 'zh');
    expect(lineSentence(fault[0], 'zh')).toBe('系统 在 调取电子营业执照 异常：证照系统超时');
  });
});
