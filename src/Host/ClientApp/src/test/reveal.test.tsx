import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseApplicant } from '../lib/model';
import { RevealApplicant } from '../lib/RevealApplicant';
import { fakeNetwork, json, renderApp } from './render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('RevealApplicant', () => {
  it('asks for a reason, sends it with the reveal, and hands back the full applicant', async () => {
    const full: CaseApplicant = { name: '张三', idType: '111', idNumber: '44030519491231123X', phone: '13800138000', address: '广东省深圳市南山区科技园路1号' };
    const net = fakeNetwork(json(full));
    vi.stubGlobal('fetch', net.fetch);
    const revealed = vi.fn();
    renderApp(<RevealApplicant caseId="c1" onRevealed={revealed} />);

    fireEvent.click(screen.getByTestId('reveal-applicant'));
    const confirm = await screen.findByTestId('reveal-confirm');
    expect(confirm.hasAttribute('disabled')).toBe(true);
    fireEvent.change(screen.getByRole('combobox'), { target: { value: '联系申请人补正材料' } });
    await waitFor(() => expect(confirm.hasAttribute('disabled')).toBe(false));
    fireEvent.click(confirm);

    await waitFor(() => expect(revealed).toHaveBeenCalledWith(full));
    expect(new URL(net.calls[0].url).pathname).toBe('/api/cases/c1/applicant/reveal');
    expect(await net.calls[0].json()).toEqual({ reason: '联系申请人补正材料' });
    // Ant Design's modal and auto-complete render slowly in jsdom on a loaded machine.
  }, 30000);
});
