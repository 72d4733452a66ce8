/**
 * Grants the proof accepts without a recorded or derived call, each with the reason. Keep it short:
 * every entry must still be granted and still be unexercised, or the proof fails (a stale entry).
 * `role` is the function purpose (`role-<purpose>-<suffix>`).
 */
export interface AllowedUnused {
  readonly role: string;
  readonly sid: string;
  readonly action: string;
  readonly reason: string;
}

export const UNUSED_BUT_REQUIRED: readonly AllowedUnused[] = [];
