// Staff by the name the hall knows them by (王审核), not their sign-in name (reviewer01).
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { actorName, isHandlerCode } from './format';
import { queries } from './queries';
import { useSession } from './session';

/**
 * A function naming who acted: 系统/申请人/… for the system's actors, a staff member's display name, else the name as
 * given. `needed` false skips loading the names (a view that has no one else's name to show).
 */
export function usePersonName(needed = true) {
  const { user, lang } = useSession();
  const staff = !!user && user.role !== 'applicant';
  const people = useQuery({ ...queries.people(), enabled: staff && needed }).data;
  return useCallback(
    (who: string | null | undefined): string => {
      if (!who) return '—';
      if (user && who === user.userName) return user.displayName;
      // An applicant is not given the staff list: a staff member is 工作人员 to them, never a sign-in name.
      if (!staff && !isHandlerCode(who)) return lang === 'zh' ? '工作人员' : 'Staff';
      return people?.find((p) => p.userName === who)?.displayName ?? actorName(who, lang);
    },
    [people, user, lang, staff],
  );
}
