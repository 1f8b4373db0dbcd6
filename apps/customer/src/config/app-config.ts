/** Fixed facts about this app. Nothing here is secret: it ships to every phone. */
export const APP_NAME = 'customer' as const;
/** The venue's currency for showing prices (the API speaks integer cents). */
export const CURRENCY = 'EUR';
/** Where the cart is kept between reloads. Only the cart: tokens never touch storage. */
export const CART_STORAGE_KEY = 'taproom.customer.cart';
