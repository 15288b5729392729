/** Shape rules for account fields, shared by the DTOs and the service that stores them. */

/** 3-32 of letters, digits, '_', '.', '-': safe in URLs, STOMP headers and logs. */
export const USERNAME_PATTERN = /^[a-zA-Z0-9_.-]{3,32}$/;
export const USERNAME_RULE = '3-32 characters: letters, digits, _ . -';

// Long enough to resist guessing; capped so one request cannot make scrypt hash megabytes.
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

export const DISPLAY_NAME_MAX_LENGTH = 64;
