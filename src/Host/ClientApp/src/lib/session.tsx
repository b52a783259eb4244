// Who is signed in, and the language: shared by every page through React context.
import { createContext, useContext } from 'react';

import type { User } from './model';

export type { User };

export type Lang = 'zh' | 'en';

export interface Session {
  user: User | null;
  setUser: (u: User | null) => void;
  lang: Lang;
  setLang: (l: Lang) => void;
}

export const SessionContext = createContext<Session>({ user: null, setUser: () => {}, lang: 'zh', setLang: () => {} });

export const useSession = () => useContext(SessionContext);

/** Words in the current language: t('待办', 'Inbox'). Chinese is the default. */
export function useT() {
  const { lang } = useSession();
  return (zh: string, en: string) => (lang === 'zh' ? zh : en);
}

/** The roles the host knows (the document sends the role as a string). */
export type Role = 'window' | 'reviewer' | 'auditor' | 'policy' | 'applicant' | 'admin';

/** Which pages each role reaches (the host enforces the same). */
export const roleHome: Record<Role, string> = {
  window: '/inbox',
  reviewer: '/inbox',
  auditor: '/cases',
  policy: '/matters',
  applicant: '/my',
  admin: '/admin',
};

export const isRole = (role: string): role is Role => Object.hasOwn(roleHome, role);

/** Where a user starts: their role's home, the public progress page for a role the UI does not know. */
export const homeOf = (role: string) => (isRole(role) ? roleHome[role] : '/progress');

/** Whether a user holds a role, as their post or besides it (the host decides; the UI offers what it allows). */
export const hasRole = (user: { role: string; roles?: readonly string[] } | null | undefined, role: Role) =>
  !!user && (user.role === role || (user.roles ?? []).includes(role));

/** Where a signed-in user goes: to change a one-time password first, else their role's home. */
export const startOf = (user: { role: string; mustChangePassword?: boolean }) => (user.mustChangePassword ? '/password' : homeOf(user.role));
