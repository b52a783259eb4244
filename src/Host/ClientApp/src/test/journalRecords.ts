// Journal records as GET /api/cases/{id}/journal returns them (shapes taken from a demo run), for the journal tests.
import type { JournalRecord } from '../lib/model';

let seq = 0;
const rec = (activityId: string, activityType: string, activityName: string | null, eventName: string, actor: string | null, payload: unknown = null, at = '2026-12-03T00:47:00Z'): JournalRecord => ({
  sequence: ++seq, timestamp: at, activityId, activityType: `GovFlow.${activityType}`, activityName, eventName, actor, message: null, payload,
  hash: `h${seq}`.padEnd(64, '0'), previousHash: `h${seq - 1}`.padEnd(64, '0'), algorithm: 'SM3',
});

seq = 0;
export const journal: JournalRecord[] = [
  rec('Workflow1', 'Workflow', '食品经营许可', 'Started', 'window01', null, '2026-12-01T01:30:00Z'),
  rec('flowchart', 'Flowchart', '食品经营许可', 'Started', 'window01'),
  rec('cert1', 'CertificateLookup', '调取电子营业执照', 'Started', 'window01'),
  rec('cert1', 'CertificateLookup', '调取电子营业执照', 'Suspended', 'window01', { bookmark: 'GovFlow.ServiceCall' }),
  rec('cert1', 'CaseFile', null, 'CaseFileRecorded', 'window01', { status: 'Received', caseFile: { status: 'Received' } }),
  rec('cert1', 'CertificateLookup', '调取电子营业执照', 'Resumed', 'window01', { bookmark: 'GovFlow.ServiceCall' }),
  rec('cert1', 'CertificateLookup', '调取电子营业执照', 'CertificateUsed', 'window01', { material: '营业执照', outcome: 'Found', certificateType: '001', by: 'window01' }),
  rec('cert1', 'CertificateLookup', '调取电子营业执照', 'Completed', 'window01', { outcomes: ['Found'] }),
  rec('accept', 'Acceptance', '一窗受理', 'Completed', 'window01', { outcomes: ['Accepted'] }),
  rec('review1', 'ReviewTask', '初审', 'Started', 'window01'),
  rec('review1', 'ReviewTask', '初审', 'Suspended', 'window01', { bookmark: 'GovFlow.ReviewTask' }),
  rec('review1', 'ReviewTask', '初审', 'Resumed', 'reviewer01', { bookmark: 'GovFlow.ReviewTask', decision: { action: 'transfer', opinion: '请协办', assignee: 'reviewer03' } }),
  rec('review1', 'ReviewTask', '初审', 'Resumed', 'reviewer03', { bookmark: 'GovFlow.ReviewTask', decision: { action: 'requestCorrection', opinion: '材料不清晰，请补正', materials: ['平面图', '健康证明'] } }),
  rec('review1', 'ReviewTask', '初审', 'Resumed', 'applicant', { bookmark: 'GovFlow.ReviewSupplement', decision: { action: 'supply', materials: ['平面图', '健康证明'] } }),
  rec('review1', 'ReviewTask', '初审', 'Resumed', 'reviewer01', { bookmark: 'GovFlow.ReviewTask', decision: { action: 'approve', opinion: '材料齐全' } }, '2026-12-03T00:47:00Z'),
  rec('review1', 'ReviewTask', '初审', 'Completed', 'reviewer01', { outcomes: ['Approved'] }),
  rec('parallel', 'ParallelApproval', '并联审查', 'Resumed', 'fire01', { bookmark: 'GovFlow.ParallelOpinion', decision: { action: 'disagree', opinion: '不符合消防安全要求' } }),
  rec('parallel', 'ParallelApproval', '并联审查', 'ParallelOpinion', 'fire01', { department: '消防救援大队', decision: 'disagree' }),
  rec('timer', 'ReviewTask', '决定', 'Resumed', null, { bookmark: 'GovFlow.Deadline' }),
  rec('issue', 'IssueResult', '出证', 'ResultIssued', 'reviewer01', { name: '食品经营许可证', number: 'JY1440305' }),
];
