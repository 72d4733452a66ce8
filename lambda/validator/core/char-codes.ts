/** Character codes the row loop compares against, instead of allocating strings or regexes. */
export const ZERO = 48;
export const NINE = 57;
export const SPACE = 32;
export const DASH = 45;
export const DOT = 46;
