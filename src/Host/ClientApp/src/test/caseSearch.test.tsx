import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CaseSearchForm, caseQuery, noSearch } from '../pages/Cases';
import { renderApp } from './render';

afterEach(cleanup);

const matters = [
  { code: '44030505001', name: '高龄津贴申请', department: '深圳市南山区民政局' },
  { code: '44030501004', name: '食品经营许可', department: '深圳市南山区市场监督管理局' },
];

describe('CaseSearchForm', () => {
  it('searches by full ID number and phone as typed, leaving the other filters empty', async () => {
    const onSearch = vi.fn();
    renderApp(<CaseSearchForm value={noSearch} onSearch={onSearch} matters={matters} />);
    fireEvent.change(screen.getByTestId('search-id'), { target: { value: '44030519491231123X' } });
    fireEvent.change(screen.getByTestId('search-phone'), { target: { value: '13800138000' } });
    fireEvent.click(screen.getByTestId('search-submit'));
    await waitFor(() => expect(onSearch).toHaveBeenCalledTimes(1));
    expect(onSearch.mock.calls[0][0]).toEqual({ ...noSearch, idNumber: '44030519491231123X', phone: '13800138000' });
  });

  it('shows the filters it was opened with, in Chinese', () => {
    renderApp(<CaseSearchForm value={{ ...noSearch, status: 'InReview', matter: '44030505001', from: '2026-03-01', to: '2026-03-31' }} onSearch={() => {}} matters={matters} />);
    const form = screen.getByTestId('case-search-form');
    expect(form.textContent).toContain('审查中');
    expect(form.textContent).toContain('高龄津贴申请');
    expect(form.textContent).not.toContain('InReview');
    expect((screen.getAllByPlaceholderText('收件起')[0] as HTMLInputElement).value).toBe('2026-03-01');
  });

  it('reset clears every filter', async () => {
    const onSearch = vi.fn();
    renderApp(<CaseSearchForm value={{ ...noSearch, phone: '13800138000', department: '深圳市南山区民政局' }} onSearch={onSearch} matters={matters} />);
    fireEvent.click(screen.getByTestId('search-reset'));
    await waitFor(() => expect(onSearch).toHaveBeenCalledWith(noSearch));
    expect((screen.getByTestId('search-phone') as HTMLInputElement).value).toBe('');
  });
});

describe('caseQuery', () => {
  it('sends only the filters given, trimmed', () => {
    expect(caseQuery({ ...noSearch, q: ' SZ2026 ', department: '深圳市南山区民政局', from: '2026-03-01' })).toEqual({ q: 'SZ2026', department: '深圳市南山区民政局', from: '2026-03-01' });
    expect(caseQuery(noSearch)).toEqual({});
  });
});
