// Closeout offline: the limits and words the screen checks a change with come from the download
// (`rules`, built by the server's domain/offline_rules.py), never typed here. A pack stored before
// downloads carried them has none: then only what a change needs to be sent is checked, in one
// plain sentence, and the server judges the rest at sync (a refusal becomes a conflict). Pure.

/** The rules stored with a case pack, or null for a pack that predates them. */
export const rulesOf = (pack) => pack?.rules ?? null;

/** A message template with its "{name}" places filled. */
export const fill = (template, values = {}) => template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

export const UNCHECKED = "This value cannot be saved as typed.";

/** Up to `count` characters as Python's text[:count] takes them (code points, not UTF-16 units). */
export const firstChars = (text, count) => Array.from(text).slice(0, count).join("");
