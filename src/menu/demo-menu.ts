import type { CreateMenuItemDto } from './dto/menu-item.dto.js';

/** VAT rates of the demo venue: drinks (soft drinks too) at the standard rate, food reduced. */
const DRINKS_VAT = 2000;
const FOOD_VAT = 1000;

/** A draught beer comes as a pint or a half. */
const SIZE = {
  name: 'Size',
  min: 1,
  max: 1,
  options: [
    { name: 'Pint', priceDeltaCents: 0 },
    { name: 'Half pint', priceDeltaCents: -250 },
  ],
};

/** The demo menu seeded with the demo accounts (never in production). */
export const DEMO_MENU: readonly CreateMenuItemDto[] = [
  {
    category: 'Beer',
    name: 'House Pale Ale',
    vatRateBasisPoints: DRINKS_VAT,
    optionGroups: [SIZE],
    description: 'Citrusy and hoppy, 0.4 l',
    priceCents: 550,
    allergens: ['gluten'],
    sortOrder: 1,
  },
  {
    category: 'Beer',
    name: 'Pilsner',
    vatRateBasisPoints: DRINKS_VAT,
    optionGroups: [SIZE],
    description: 'Crisp lager, 0.5 l',
    priceCents: 500,
    allergens: ['gluten'],
    sortOrder: 2,
  },
  {
    category: 'Beer',
    name: 'Seasonal Stout',
    vatRateBasisPoints: DRINKS_VAT,
    description: 'Small batch, while it lasts, 0.3 l',
    priceCents: 650,
    stock: 24,
    allergens: ['gluten'],
    sortOrder: 3,
  },
  {
    category: 'Beer',
    name: 'Alcohol-free Lager',
    vatRateBasisPoints: DRINKS_VAT,
    description: '0.33 l bottle',
    priceCents: 400,
    stock: 36,
    allergens: ['gluten'],
    sortOrder: 4,
  },
  {
    category: 'Wine & Cocktails',
    name: 'House Red',
    vatRateBasisPoints: DRINKS_VAT,
    description: 'Glass, 0.2 l',
    priceCents: 700,
    allergens: ['sulphites'],
    sortOrder: 1,
  },
  {
    category: 'Wine & Cocktails',
    name: 'Negroni',
    vatRateBasisPoints: DRINKS_VAT,
    optionGroups: [
      {
        name: 'Gin',
        min: 1,
        max: 1,
        options: [
          { name: 'House gin', priceDeltaCents: 0 },
          { name: 'Navy strength', priceDeltaCents: 150 },
        ],
      },
      {
        name: 'Garnish',
        min: 0,
        max: 1,
        options: [
          { name: 'Orange peel', priceDeltaCents: 0 },
          { name: 'No garnish', priceDeltaCents: 0 },
        ],
      },
    ],
    description: 'Gin, vermouth, bitter',
    priceCents: 1000,
    allergens: ['sulphites'],
    sortOrder: 2,
  },
  {
    category: 'Wine & Cocktails',
    name: 'Espresso Martini',
    vatRateBasisPoints: DRINKS_VAT,
    description: 'Vodka, coffee liqueur, espresso',
    priceCents: 1100,
    stock: 20,
    sortOrder: 3,
  },
  {
    category: 'Soft Drinks',
    name: 'Lemonade',
    vatRateBasisPoints: DRINKS_VAT,
    optionGroups: [
      {
        name: 'Flavour',
        min: 1,
        max: 1,
        options: [
          { name: 'Classic', priceDeltaCents: 0 },
          { name: 'Elderflower', priceDeltaCents: 50 },
          { name: 'Raspberry', priceDeltaCents: 50 },
        ],
      },
      {
        name: 'Ice',
        min: 0,
        max: 1,
        options: [{ name: 'No ice', priceDeltaCents: 0 }],
      },
    ],
    description: 'Made here, 0.4 l',
    priceCents: 350,
    sortOrder: 1,
  },
  {
    category: 'Soft Drinks',
    name: 'Cola',
    vatRateBasisPoints: DRINKS_VAT,
    description: '0.33 l bottle',
    priceCents: 300,
    sortOrder: 2,
  },
  {
    category: 'Soft Drinks',
    name: 'Sparkling Water',
    vatRateBasisPoints: DRINKS_VAT,
    description: '0.5 l',
    priceCents: 250,
    sortOrder: 3,
  },
  {
    category: 'Snacks',
    name: 'Salted Peanuts',
    vatRateBasisPoints: FOOD_VAT,
    description: 'A bowl',
    priceCents: 300,
    allergens: ['peanuts'],
    sortOrder: 1,
  },
  {
    category: 'Snacks',
    name: 'Soft Pretzel',
    vatRateBasisPoints: FOOD_VAT,
    optionGroups: [
      {
        name: 'Dip',
        min: 1,
        max: 1,
        options: [
          { name: 'Mustard', priceDeltaCents: 0 },
          { name: 'Cheese dip', priceDeltaCents: 100 },
        ],
      },
    ],
    description: 'With mustard',
    priceCents: 450,
    stock: 15,
    allergens: ['gluten', 'mustard'],
    station: 'kitchen',
    sortOrder: 2,
  },
  {
    category: 'Snacks',
    name: 'Nachos',
    vatRateBasisPoints: FOOD_VAT,
    optionGroups: [
      {
        name: 'Extras',
        min: 0,
        max: 3,
        options: [
          { name: 'Guacamole', priceDeltaCents: 150 },
          { name: 'Sour cream', priceDeltaCents: 100 },
          { name: 'Extra cheese', priceDeltaCents: 120 },
          { name: 'Pulled pork', priceDeltaCents: 250 },
        ],
      },
      {
        name: 'Heat',
        min: 0,
        max: 1,
        options: [{ name: 'No jalapeños', priceDeltaCents: 0 }],
      },
    ],
    description: 'Cheese, jalapeños, salsa',
    priceCents: 800,
    stock: 10,
    allergens: ['milk'],
    station: 'kitchen',
    sortOrder: 3,
  },
];
