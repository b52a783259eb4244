import { render, screen, cleanup } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseView } from '../lib/model';
import { MaterialsTable } from '../pages/Case';
import { WarningLight } from '../pages/Inbox';
import { ProvisionalMark } from '../lib/ProvisionalMark';

afterEach(cleanup);

const base: CaseView = {
  caseId: '1', caseNumber: 'N1', matterCode: 'M', matterName: '事项', department: 'D', status: 'Accepted', warning: 'green',
  applicant: { name: '张三', idType: '111', idNumber: 'X', phone: null, address: null },
  channel: 'window', receivedAt: '2026-03-02T01:30:00Z', acceptedAt: null, promisedDue: null, statutoryDue: null, completedAt: null,
  currentSteps: [], positions: [], materials: [], pauses: [], steps: [], parallel: null, tolerance: null, certificateUses: [],
  waybill: null, rating: null, result: null, corrections: [], incidents: [], promisedDueProvisional: false, statutoryDueProvisional: false,
  extensions: [], applicantNotices: [],
};

describe('ProvisionalMark', () => {
  it('says a date rests on the statute while its year has no notice, and says nothing otherwise', () => {
    render(<><ProvisionalMark provisional={true} /><ProvisionalMark provisional={false} /></>);
    expect(screen.getAllByTestId('provisional').map((e) => e.textContent)).toEqual(['暂按法定节假日计算']);
  });
});

describe('MaterialsTable', () => {
  it('shows which materials an e-certificate satisfied, which are tolerated with their deadline, and which are missing', () => {
    render(
      <MaterialsTable
        view={{
          ...base,
          materials: [
            { name: '申请书', required: true, satisfiedBy: 'paper' },
            { name: '营业执照', required: true, satisfiedBy: 'certificate' },
            { name: '平面图', required: true, satisfiedBy: null },
            { name: '消防证明', required: true, satisfiedBy: null },
            { name: '不适用', required: true, applies: false },
          ],
          tolerance: { missing: ['平面图'], deadline: '2026-03-20T09:00:00Z' },
        }}
      />,
    );
    expect(screen.getByTestId('material-certificate').textContent).toBe('电子证照');
    expect(screen.getByText(/容缺/).textContent).toContain('2026-03-20');
    expect(screen.getByText('缺')).toBeTruthy();
    expect(screen.queryByText('不适用')).toBeNull();
  });
});

describe('WarningLight', () => {
  it('names the light in words, not only in colour', () => {
    render(<WarningLight warning="red" />);
    expect(screen.getByTestId('light-red').textContent).toBe('超期');
  });
});
