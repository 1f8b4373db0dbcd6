import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AxiosInstance } from 'axios';
import type { ChangePasswordRequest, SessionView, SignInView } from '../api/contracts';

/** `POST /api/auth/2fa/setup`: the new key, as text, URI and QR code (SVG). */
export interface TwoFactorSetup {
  secret: string;
  otpauthUri: string;
  qrSvg: string;
}

/**
 * The signed-in person's own account: their sessions, recent sign-ins and password. The keys sit
 * under `sessions`, which every app drops when it is signed out and refreshes when a session ends.
 */
const accountKeys = {
  devices: ['sessions', 'mine'] as const,
  signIns: ['sessions', 'sign-ins'] as const,
};

/** Where this account is signed in, most recently active first. */
export function useYourDevices(api: AxiosInstance) {
  return useQuery({
    queryKey: accountKeys.devices,
    queryFn: async () => (await api.get<SessionView[]>('/sessions')).data,
  });
}

/** Signs one other device out. */
export function useSignOutDevice(api: AxiosInstance) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.delete(`/sessions/${encodeURIComponent(id)}`);
    },
    onSettled: () => client.invalidateQueries({ queryKey: accountKeys.devices }),
  });
}

/** Signs out every device but this one. */
export function useSignOutOthers(api: AxiosInstance) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await api.post('/auth/logout-all', { keepCurrent: true });
    },
    onSettled: () => client.invalidateQueries({ queryKey: accountKeys.devices }),
  });
}

/** The last 50 sign-in attempts of this account, newest first, failed ones included. */
export function useRecentSignIns(api: AxiosInstance) {
  return useQuery({
    queryKey: accountKeys.signIns,
    queryFn: async () => (await api.get<SignInView[]>('/auth/sign-ins')).data,
  });
}

/** Changes the password; the server then ends every other session of the account. */
export function useChangePassword(api: AxiosInstance) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: ChangePasswordRequest) => {
      await api.post('/auth/change-password', body);
    },
    // The other devices are signed out now; a wrong current password is a failed sign-in.
    onSettled: () => client.invalidateQueries({ queryKey: ['sessions'] }),
  });
}

/**
 * Starts a two-factor setup: a new key for the authenticator app. Asks for the password
 * ("confirm access"); a wrong one is a failed sign-in.
 */
export function useTwoFactorSetup(api: AxiosInstance) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (password: string) =>
      (await api.post<TwoFactorSetup>('/auth/2fa/setup', { password })).data,
    onError: () => client.invalidateQueries({ queryKey: accountKeys.signIns }),
  });
}

/**
 * Turns two-factor sign-in on with a code of the new key; answers the ten recovery codes. The
 * server signs every other device out.
 */
export function useEnableTwoFactor(api: AxiosInstance) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (code: string) =>
      (await api.post<{ recoveryCodes: string[] }>('/auth/2fa/enable', { code })).data
        .recoveryCodes,
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.devices }),
  });
}

/** Turns two-factor sign-in off (password and a code or recovery code). */
export function useDisableTwoFactor(api: AxiosInstance) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { password: string; code: string }) => {
      await api.post('/auth/2fa/disable', body);
    },
    // A wrong password or code is a failed sign-in: it shows in "Recent sign-ins".
    onSettled: () => client.invalidateQueries({ queryKey: accountKeys.signIns }),
  });
}
