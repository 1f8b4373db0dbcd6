import axios, { type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { writeRequestActivity } from '../auth/activity';
import type { SessionManager } from '../auth/session-manager';
import { ApiError, apiErrorFrom, SESSION_ENDING_CODES } from './api-error';

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Send without a bearer token (public routes: menu, register). */
    skipAuth?: boolean;
    /** Internal: the token this request went out with, and whether it was already retried. */
    sentToken?: string | null;
    retriedAfterRefresh?: boolean;
  }
}

export interface ApiClientOptions {
  baseURL?: string;
  adapter?: AxiosInstance['defaults']['adapter'];
}

/**
 * The axios instance every app uses. Attaches the bearer (waiting for a refresh in flight, so
 * requests made meanwhile go out with the new token); on `401 TOKEN_EXPIRED` (or `TOKEN_INVALID`)
 * refreshes once and retries once; on `SESSION_REVOKED`, `REFRESH_REUSED`, `REFRESH_INVALID` or `TOKEN_INVALID`
 * signs the app out with the reason; and turns every failure into an {@link ApiError} with a
 * readable message.
 */
export function createApiClient(
  session: SessionManager,
  options: ApiClientOptions = {},
): AxiosInstance {
  const api = axios.create({
    baseURL: options.baseURL ?? '/api',
    withCredentials: true,
    adapter: options.adapter,
  });

  api.interceptors.request.use(async (config: InternalAxiosRequestConfig) => {
    if (config.skipAuth === true) return config;
    const method = (config.method ?? 'get').toLowerCase();
    if (method !== 'get' && method !== 'head' && config.retriedAfterRefresh !== true) {
      writeRequestActivity.touch();
    }
    const token = await session.getAccessToken();
    config.sentToken = token;
    if (token !== null) config.headers.set('Authorization', `Bearer ${token}`);
    return config;
  });

  api.interceptors.response.use(undefined, async (error: unknown) => {
    if (!axios.isAxiosError(error) || axios.isCancel(error)) throw error;
    const config = error.config;
    const response = error.response;
    const apiError = apiErrorFrom(
      response?.status ?? 0,
      response?.data,
      response?.headers['retry-after'],
    );
    if (apiError.status === 401 && config !== undefined && config.skipAuth !== true) {
      // An expired token, or one the server no longer accepts (a rotated signing key): one
      // refresh, one retry. Only then does an invalid token end the session.
      const refreshable = apiError.code === 'TOKEN_EXPIRED' || apiError.code === 'TOKEN_INVALID';
      if (
        refreshable &&
        config.retriedAfterRefresh !== true &&
        config.sentToken !== null &&
        config.sentToken !== undefined
      ) {
        const token = await session.refresh(config.sentToken);
        if (token !== null) return api.request({ ...config, retriedAfterRefresh: true });
      } else if (apiError.code !== 'NETWORK' && SESSION_ENDING_CODES.includes(apiError.code)) {
        session.endFromError(apiError.code);
      }
    }
    throw apiError;
  });

  return api;
}

/** Narrows an unknown thrown value to the API's error type. */
export function asApiError(error: unknown): ApiError | undefined {
  return error instanceof ApiError ? error : undefined;
}
