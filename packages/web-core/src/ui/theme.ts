import {
  createTheme,
  DEFAULT_THEME,
  defaultVariantColorsResolver,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  type VariantColorsResolver,
} from '@mantine/core';

/** A Mantine palette with its two darkest shades replaced. */
function darker(name: 'orange' | 'red' | 'green', eight: string, nine: string): MantineColorsTuple {
  return [...DEFAULT_THEME.colors[name].slice(0, 8), eight, nine] as unknown as MantineColorsTuple;
}

/** Light variants (a tint behind coloured text) get near-black text: a tint of itself rarely reaches 4.5:1. */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  return input.variant === 'light' ? { ...colors, color: 'var(--mantine-color-dark-8)' } : colors;
};

/**
 * One look for the three apps: large touch targets, amber like a good pint, and contrast that
 * meets WCAG AA (4.5:1): the top shades of orange, red and green are darker than Mantine's
 * (its orange 8 gives white text only 3.6:1).
 */
export const taproomTheme = createTheme({
  primaryColor: 'orange',
  primaryShade: { light: 8, dark: 6 },
  colors: {
    orange: darker('orange', '#c2410c', '#9a3412'),
    red: darker('red', '#c92a2a', '#a51d1d'),
    green: darker('green', '#237032', '#1b5e29'),
  },
  variantColorResolver,
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
  components: {
    Button: { defaultProps: { size: 'md' } },
    TextInput: { defaultProps: { size: 'md' } },
    PasswordInput: { defaultProps: { size: 'md' } },
    NumberInput: { defaultProps: { size: 'md' } },
    Textarea: { defaultProps: { size: 'md' } },
    // Toasts (@mantine/notifications render this) get a close button a screen reader can name.
    Notification: { defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } } },
  },
});

/**
 * Pass to `MantineProvider cssVariablesResolver`: Mantine's dimmed grey is 3.3:1 on white, grey 7
 * reads at 7:1; its error red (red 6) is 3.6:1 under a field, red 8 reads at 6:1.
 */
export const taproomCssVariables: CSSVariablesResolver = (theme) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': theme.colors.gray[7],
    '--mantine-color-error': theme.colors.red[8],
  },
  dark: {},
});
