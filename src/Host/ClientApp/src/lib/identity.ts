// Citizen ID numbers (GB 11643): the check digit and the birth date they carry.

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checks = '10X98765432';

/** Whether an 18-character citizen ID number is well formed and its check digit is right. */
export function isValidIdNumber(id: string): boolean {
  const s = id.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const sum = weights.reduce((acc, w, i) => acc + w * Number(s[i]), 0);
  return checks[sum % 11] === s[17];
}

/** The applicant's age on a day, from the birth date in the ID number (undefined when it cannot be read). */
export function ageFromIdNumber(id: string, on: Date = new Date()): number | undefined {
  if (!isValidIdNumber(id)) return undefined;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  let age = on.getFullYear() - y;
  if (on.getMonth() + 1 < m || (on.getMonth() + 1 === m && on.getDate() < d)) age--;
  return age;
}
