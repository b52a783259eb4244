// Who is signed in, and the language: shared by every page through React context.
import { createContext, useContext } from 'react';

import type { User } from './apiTypes';

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

/** Which pages each role reaches (the host enforces the same). */
export const roleHome: Record<User['role'], string> = {
  window: '/inbox',
  reviewer: '/inbox',
  auditor: '/cases',
  policy: '/matters',
  applicant: '/progress',
};
