// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SessionManager } from '../auth/session-manager';
import { FakeApi } from '../testing/fake-api';
import { SignInForm } from './sign-in-form';

beforeAll(() => {
  // happy-dom lacks the font loading API that Mantine touches.
  if (!('fonts' in document)) {
    Object.defineProperty(document, 'fonts', {
      configurable: true,
      value: { addEventListener: () => undefined, removeEventListener: () => undefined },
    });
  }
});

const sessions: SessionManager[] = [];
afterEach(() => {
  cleanup();
  for (const session of sessions.splice(0)) session.dispose();
});

/** The form against the fake API, with the right password typed in and sent. */
async function signInWith(server: FakeApi): Promise<HTMLElement> {
  const session = new SessionManager({ app: 'bartender', adapter: server.adapter, channel: null });
  sessions.push(session);
  const onSignedIn = vi.fn();
  render(
    <MantineProvider>
      <SignInForm session={session} title="Sign in to the bar" onSignedIn={onSignedIn} />
    </MantineProvider>,
  );
  fireEvent.change(screen.getByLabelText(/Email/), { target: { value: 'sam@example.com' } });
  fireEvent.change(screen.getByLabelText(/Password/), {
    target: { value: 'the-right-password-for-sam' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  const alert = await screen.findByRole('alert');
  expect(onSignedIn).not.toHaveBeenCalled();
  return alert;
}

describe('SignInForm', () => {
  it('links "Forgot password?" to the app’s own reset page, only when it has one', () => {
    const session = new SessionManager({
      app: 'admin',
      adapter: new FakeApi().adapter,
      channel: null,
    });
    sessions.push(session);
    const { unmount } = render(
      <MantineProvider>
        <MemoryRouter basename="/admin" initialEntries={['/admin/sign-in']}>
          <SignInForm
            session={session}
            title="Sign in"
            onSignedIn={vi.fn()}
            forgotPasswordPath="/forgot-password"
          />
        </MemoryRouter>
      </MantineProvider>,
    );
    const link = screen.getByRole('link', { name: 'Forgot password?' });
    expect(link.getAttribute('href')).toBe('/admin/forgot-password');
    unmount();
    render(
      <MantineProvider>
        <SignInForm session={session} title="Sign in" onSignedIn={vi.fn()} />
      </MantineProvider>,
    );
    expect(screen.queryByRole('link', { name: 'Forgot password?' })).toBeNull();
  });

  it('tells a deactivated account to ask an admin, not that the password was wrong', async () => {
    const server = new FakeApi();
    server.loginError = { status: 403, code: 'ACCOUNT_DISABLED' };
    const alert = await signInWith(server);
    expect(alert.getAttribute('data-code')).toBe('ACCOUNT_DISABLED');
    expect(alert.textContent).toContain('Account disabled');
    expect(alert.textContent).toContain('This account has been disabled. Ask an admin');
    expect(alert.textContent).not.toContain('don’t match');
  });

  it('says that the email and password do not match, with no title, for a wrong password', async () => {
    const server = new FakeApi();
    server.loginError = { status: 401, code: 'INVALID_CREDENTIALS' };
    const alert = await signInWith(server);
    expect(alert.textContent).toBe('That email and password don’t match.');
  });

  describe('"Keep me signed in"', () => {
    function renderForm(server: FakeApi, offerRemember: boolean): ReturnType<typeof vi.fn> {
      const session = new SessionManager({
        app: 'customer',
        adapter: server.adapter,
        channel: null,
      });
      sessions.push(session);
      const onSignedIn = vi.fn();
      render(
        <MantineProvider>
          <SignInForm
            session={session}
            title="Sign in"
            onSignedIn={onSignedIn}
            offerRemember={offerRemember}
          />
        </MantineProvider>,
      );
      fireEvent.change(screen.getByLabelText(/Email/), { target: { value: 'sam@example.com' } });
      fireEvent.change(screen.getByLabelText(/Password/), {
        target: { value: 'the-right-password-for-sam' },
      });
      return onSignedIn;
    }

    it('is offered ticked, and unticked it asks not to be remembered', async () => {
      const server = new FakeApi();
      const onSignedIn = renderForm(server, true);
      const box = screen.getByRole('checkbox', { name: /Keep me signed in/ });
      expect((box as HTMLInputElement).checked).toBe(true);
      fireEvent.click(box);
      fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
      await vi.waitFor(() => {
        expect(onSignedIn).toHaveBeenCalled();
      });
      expect(server.logins[0]).toMatchObject({ remember: false, app: 'customer' });
    });

    it('sends remember: true when left ticked', async () => {
      const server = new FakeApi();
      const onSignedIn = renderForm(server, true);
      fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
      await vi.waitFor(() => {
        expect(onSignedIn).toHaveBeenCalled();
      });
      expect(server.logins[0]).toMatchObject({ remember: true });
    });

    it('is not offered where the app does not ask for it (staff apps)', async () => {
      const server = new FakeApi();
      const onSignedIn = renderForm(server, false);
      expect(screen.queryByRole('checkbox')).toBeNull();
      fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
      await vi.waitFor(() => {
        expect(onSignedIn).toHaveBeenCalled();
      });
      expect(server.logins[0]).not.toHaveProperty('remember');
    });
  });
});
