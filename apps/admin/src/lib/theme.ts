import {
  createTheme,
  DEFAULT_THEME,
  defaultVariantColorsResolver,
  mergeThemeOverrides,
  type MantineColorsTuple,
  type VariantColorsResolver,
} from '@mantine/core';
import { taproomTheme } from '@taproom/web-core/ui/theme';

/** A Mantine palette with its two darkest shades replaced. */
function darker(name: 'orange' | 'red' | 'green', eight: string, nine: string): MantineColorsTuple {
  return [...DEFAULT_THEME.colors[name].slice(0, 8), eight, nine] as unknown as MantineColorsTuple;
}

/** Light variants (tinted background) get near-black text: coloured text on a tint of itself rarely reaches 4.5:1. */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  return input.variant === 'light' ? { ...colors, color: 'var(--mantine-color-dark-8)' } : colors;
};

/**
 * The shared theme with darker top shades of orange, red and green, so white text on filled
 * buttons and badges meets WCAG AA (4.5:1): Mantine's orange 8 gives only 3.6:1.
 */
export const appTheme = mergeThemeOverrides(
  taproomTheme,
  createTheme({
    colors: {
      orange: darker('orange', '#c2410c', '#9a3412'),
      red: darker('red', '#c92a2a', '#a51d1d'),
      green: darker('green', '#237032', '#1b5e29'),
    },
    variantColorResolver,
  }),
);
