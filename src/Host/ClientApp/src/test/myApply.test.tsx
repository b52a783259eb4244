import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApplyForm, checkApplication, type ApplicationStart } from '../pages/MyApply';
import { fakeNetwork, json, renderApp } from './render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const start = {
  guide: { matter: { name: '高龄津贴发放', department: '深圳市南山区民政局', conditions: ['年满80周岁'], promisedLimit: { value: 10, unit: 'WD' }, fee: { charged: false } } },
  hall: '综合窗口',
  prefill: { name: '顾立辉', idNumber: '4403**********833X', phone: '13900000000', address: '深圳市南山区', data: {}, fromCaseNumber: null },
  fields: [{ name: 'onMinimumAllowance', label: '是否享受最低生活保障', type: 'boolean' }],
  materials: [
    { name: '高龄津贴申请书', required: true, condition: null, certificateReplaceable: false, certificateType: null, certificateTypeName: null },
    { name: '户口簿', required: true, condition: null, certificateReplaceable: true, certificateType: '112', certificateTypeName: '居民户口簿' },
    { name: '低保证', required: false, condition: 'onMinimumAllowance', certificateReplaceable: true, certificateType: '117', certificateTypeName: '最低生活保障证' },
  ],
  maxUploadBytes: 4096,
} as unknown as ApplicationStart;

describe('checkApplication', () => {
  it('names what the host would refuse by its own field names, from the rules the host sent', () => {
    const errors = checkApplication(start, { phone: '', address: '', data: {}, materials: {} });
    expect(errors).toEqual({
      phone: '请填写手机号码，办理结果和补正通知以短信告知',
      'data.onMinimumAllowance': '请填写“是否享受最低生活保障”',
      'materials.高龄津贴申请书': '请上传“高龄津贴申请书”',
      'materials.户口簿': '请上传“户口簿”或调取其电子证照',
    });
  });

  it('accepts a certificate or an upload for each required material and leaves conditional ones to the window', () => {
    const errors = checkApplication(start, {
      phone: '13900000000', address: '', data: { onMinimumAllowance: false },
      materials: { 高龄津贴申请书: { uploadId: 'u1' }, 户口簿: { certificate: '112000001' } },
    });
    expect(errors).toEqual({});
  });
});

describe('ApplyForm', () => {
  it('shows the errors at their fields before anything is sent', async () => {
    const net = fakeNetwork();
    vi.stubGlobal('fetch', net.fetch);
    renderApp(<ApplyForm code="44030505001" start={start} onSubmitted={() => {}} />);
    expect((screen.getByTestId('apply-phone') as HTMLInputElement).value).toBe('13900000000');
    fireEvent.click(screen.getByTestId('apply-submit'));
    expect(await screen.findByText('请上传“高龄津贴申请书”')).toBeTruthy();
    expect(screen.getByText('请填写“是否享受最低生活保障”')).toBeTruthy();
    expect(net.calls).toHaveLength(0);
  }, 30000);

  it('looks certificates up only after consent and marks the ones found as 免证办', async () => {
    const net = fakeNetwork(json({
      consentId: 'c1', at: '2026-03-02T01:30:00Z', purpose: '网上申办高龄津贴发放',
      materials: [
        { material: '户口簿', certificateType: '112', typeName: '居民户口簿', found: true, number: '112000001', validTo: null },
        { material: '低保证', certificateType: '117', typeName: '最低生活保障证', found: false, number: null, validTo: null },
      ],
    }));
    vi.stubGlobal('fetch', net.fetch);
    renderApp(<ApplyForm code="44030505001" start={start} onSubmitted={() => {}} />);
    expect((screen.getByTestId('apply-lookup') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('apply-consent'));
    fireEvent.click(screen.getByTestId('apply-lookup'));
    await waitFor(() => expect(screen.getByTestId('apply-certificates').textContent).toContain('免证办 · 已调取居民户口簿 112000001'));
    expect(await net.calls[0].json()).toEqual({ matter: '44030505001', consent: true });
    expect(screen.getByTestId('apply-material-户口簿').textContent).toContain('免证办，无需上传');
    expect(screen.getByTestId('apply-material-低保证').textContent).toContain('上传');
  }, 30000);
});
