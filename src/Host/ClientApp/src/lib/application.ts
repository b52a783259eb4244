// One application form, one Idempotency-Key: a retry after a timeout (or a second click) can never make a second case.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { api, keys, type CaseSubmission } from './queries';

const newKey = () => crypto.randomUUID();

/**
 * Submits the application form. The key is drawn when the form opens, sent with every attempt of that form
 * (the host answers a repeated key with the first result), and drawn again only after a successful submission
 * or when the form is reset for the next applicant.
 */
export function useApplicationSubmission() {
  const qc = useQueryClient();
  const [key, setKey] = useState(newKey);
  const mutation = useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CaseSubmission; idempotencyKey: string }) => api.submitCase(body, idempotencyKey),
    onSuccess: () => {
      setKey(newKey());
      void qc.invalidateQueries({ queryKey: keys.cases });
      void qc.invalidateQueries({ queryKey: keys.tasks });
    },
  });
  const { mutateAsync, reset: resetMutation } = mutation;
  const submit = useCallback((body: CaseSubmission) => mutateAsync({ body, idempotencyKey: key }), [mutateAsync, key]);
  /** A new applicant at the window: a new form, a new key. */
  const reset = useCallback(() => {
    setKey(newKey());
    resetMutation();
  }, [resetMutation]);
  return { key, submit, reset, pending: mutation.isPending, error: mutation.error, receipt: mutation.data };
}
