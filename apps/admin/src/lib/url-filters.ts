import { useSearchParams } from 'react-router';

/**
 * A list page's filters kept in the address (so a filtered list can be linked to and survives a
 * reload): the current values, `set` for one filter (which goes back to the first page, and
 * replaces the history entry rather than adding one per keystroke), and `clear`.
 */
export function useUrlFilters(): {
  params: URLSearchParams;
  set: (name: string, value: string) => void;
  clear: () => void;
} {
  const [params, setParams] = useSearchParams();
  return {
    params,
    set: (name, value) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value === '') next.delete(name);
          else next.set(name, value);
          if (name !== 'page') next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    clear: () => {
      setParams({}, { replace: true });
    },
  };
}
