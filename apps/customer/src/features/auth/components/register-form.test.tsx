import { MantineProvider } from '@mantine/core';
import { ApiError } from '@taproom/web-core/api/api-error';
import { messageForCode } from '@taproom/web-core/api/error-messages';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerCustomer } from '../api/auth-api';
import { RegisterForm } from './register-form';

vi.mock('../api/auth-api', () => ({ registerCustomer: vi.fn() }));
const login = vi.hoisted(() => vi.fn());
vi.mock('@/lib/session', () => ({ session: { login } }));

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

function fillAndSend(): void {
  render(
    <MantineProvider>
      <MemoryRouter>
        <RegisterForm onRegistered={vi.fn()} />
      </MemoryRouter>
    </MantineProvider>,
  );
  fireEvent.change(screen.getByLabelText(/Your name/), { target: { value: 'Ann' } });
  fireEvent.change(screen.getByLabelText(/Email/), { target: { value: 'ann@example.com' } });
  fireEvent.change(screen.getByLabelText(/Password/), {
    target: { value: 'a-long-enough-password' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
}

function apiError(status: number, code: 'ACCOUNT_DISABLED' | 'EMAIL_TAKEN'): ApiError {
  return new ApiError(status, code, messageForCode(code));
}

describe('RegisterForm', () => {
  it('says the account is disabled when signing in after registering is refused with 403', async () => {
    vi.mocked(registerCustomer).mockResolvedValue({
      id: 'u1',
      email: 'ann@example.com',
      name: 'Ann',
      role: 'customer',
      tableNumber: null,
      twoFactorEnabled: false,
    });
    login.mockRejectedValue(apiError(403, 'ACCOUNT_DISABLED'));
    fillAndSend();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Account disabled');
    expect(alert.textContent).toContain('Ask an admin');
  });

  it('sends a taken email to sign in, without calling the account disabled', async () => {
    vi.mocked(registerCustomer).mockRejectedValue(apiError(409, 'EMAIL_TAKEN'));
    fillAndSend();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(messageForCode('EMAIL_TAKEN'));
    expect(alert.textContent).toContain('Try signing in');
    expect(login).not.toHaveBeenCalled();
  });
});
