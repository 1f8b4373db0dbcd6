// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearDrafts, DRAFT_TTL_MS, draftKey, readDraft, useDraft } from './use-draft';

const ADA = { app: 'admin', userId: 'ada', form: 'menu-item' };

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.useRealTimers();
});

describe('useDraft', () => {
  it('keeps what is typed and brings it back when the form mounts again', () => {
    const first = renderHook(() => useDraft<string | null>(ADA, null));
    act(() => {
      first.result.current[1]('IPA, 0.5 l');
    });
    first.unmount();
    const again = renderHook(() => useDraft<string | null>(ADA, null));
    expect(again.result.current[0]).toBe('IPA, 0.5 l');
  });

  it('never shows one person’s draft to another', () => {
    const ada = renderHook(() => useDraft<string | null>(ADA, null));
    act(() => {
      ada.result.current[1]('secret plans');
    });
    const bob = renderHook(() => useDraft<string | null>({ ...ADA, userId: 'bob' }, null));
    expect(bob.result.current[0]).toBeNull();
  });

  it('keeps one draft per record of an edit form', () => {
    const one = renderHook(() => useDraft<string | null>({ ...ADA, record: 'item-1' }, null));
    act(() => {
      one.result.current[1]('one');
    });
    const two = renderHook(() => useDraft<string | null>({ ...ADA, record: 'item-2' }, null));
    expect(two.result.current[0]).toBeNull();
    expect(draftKey({ ...ADA, record: 'item-1' })).toBe('taproom:draft:admin:ada:menu-item:item-1');
  });

  it('forgets the draft once saved (clear)', () => {
    const form = renderHook(() => useDraft<string | null>(ADA, null));
    act(() => {
      form.result.current[1]('saved soon');
    });
    act(() => {
      form.result.current[2]();
    });
    expect(form.result.current[0]).toBeNull();
    expect(localStorage.getItem(draftKey(ADA))).toBeNull();
  });

  it('does not bring back a draft older than a day', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const form = renderHook(() => useDraft<string | null>(ADA, null));
    act(() => {
      form.result.current[1]('yesterday');
    });
    form.unmount();
    vi.setSystemTime(Date.now() + DRAFT_TTL_MS + 1);
    const later = renderHook(() => useDraft<string | null>(ADA, null));
    expect(later.result.current[0]).toBeNull();
  });

  it('counts a day from the last change, not from the last time the form was opened', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const form = renderHook(() => useDraft<string | null>(ADA, null));
    act(() => {
      form.result.current[1]('typed on Monday');
    });
    form.unmount();
    vi.setSystemTime(Date.now() + DRAFT_TTL_MS / 2);
    const opened = renderHook(() => useDraft<string | null>(ADA, null));
    expect(opened.result.current[0]).toBe('typed on Monday');
    opened.unmount();
    vi.setSystemTime(Date.now() + DRAFT_TTL_MS / 2 + 1);
    const later = renderHook(() => useDraft<string | null>(ADA, null));
    expect(later.result.current[0]).toBeNull();
  });

  it('reads nothing from garbage or an old format', () => {
    expect(readDraft('not json', 'none')).toBe('none');
    expect(readDraft('"a bare value"', 'none')).toBe('none');
    expect(readDraft(JSON.stringify({ savedAt: 0, value: 'x' }), 'none', DRAFT_TTL_MS)).toBe('x');
  });
});

describe('clearDrafts (an explicit sign-out)', () => {
  it('throws away that person’s drafts in that app only', () => {
    const write = (key: string, savedAt = Date.now()): void => {
      localStorage.setItem(key, JSON.stringify({ savedAt, value: 'typed' }));
    };
    write(draftKey(ADA));
    write(draftKey({ ...ADA, form: 'new-user' }));
    write(draftKey({ ...ADA, userId: 'bob' }));
    write(draftKey({ ...ADA, app: 'bartender' }));
    write(draftKey({ ...ADA, userId: 'carol' }), Date.now() - DRAFT_TTL_MS - 1);
    localStorage.setItem('taproom-cart', '{"lines":[]}');
    clearDrafts('admin', 'ada');
    expect(Object.keys(localStorage).sort()).toEqual(
      [
        draftKey({ ...ADA, app: 'bartender' }),
        draftKey({ ...ADA, userId: 'bob' }),
        'taproom-cart',
      ].sort(),
    );
  });
});
