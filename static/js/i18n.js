// The page's language: one catalog per language (static/locales/*.json, keyed), t(key, params) with
// {name} placeholders, the choice of language, and error texts from the server's catalog by code.
// Pure: no DOM (i18n-dom.js applies it to the page), so node --test covers it.
import en from '../locales/en.json' with { type: 'json' };
import zh from '../locales/zh.json' with { type: 'json' };

export const CATALOGS = { en, zh };
export const LANGS = Object.keys(CATALOGS);
// The tag for <html lang>, Accept-Language and the API's lang parameter.
const TAGS = { en: 'en', zh: 'zh-CN' };

let lang = 'en';
let messages = {}; // the server's error templates by code (GET /api/messages), for the current language
const listeners = new Set();
const textListeners = new Set(); // texts written from the catalogs: after a switch and new templates

/** The text of `key` in the current language (English if missing there, the key if missing in both),
 *  with each {name} replaced by params[name]. */
export function t(key, params) {
  const text = CATALOGS[lang][key] ?? en[key];
  return text === undefined ? key : fill(text, params);
}

/** True when the catalog has `key` (for texts keyed by a server's name, e.g. an op category). */
export function has(key) {
  return key in CATALOGS[lang] || key in en;
}

/** Replaces {name} placeholders; unknown ones stay as they are, so a missing param shows. */
export function fill(text, params = {}) {
  return String(text).replace(/\{(\w+)\}/g, (m, k) => (params[k] !== undefined && params[k] !== null ? String(params[k]) : m));
}

/** The current language: "en" or "zh". */
export function getLang() {
  return lang;
}

/** The current language's BCP 47 tag ("en", "zh-CN"). */
export function langTag(l = lang) {
  return TAGS[l];
}

/** Switches the language (the server's error templates are dropped until they are loaded again);
 *  calls the listeners when it changed. Returns whether it changed. */
export function setLang(l) {
  const next = normalize(l);
  if (!next || next === lang) return false;
  lang = next;
  messages = {};
  for (const cb of listeners) cb(lang);
  for (const cb of textListeners) cb();
  return true;
}

/** Calls cb(lang) after every switch; returns an unsubscribe function. */
export function onLang(cb) {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** Calls cb() whenever a text made from the catalogs may read differently: after every switch of
 *  language and when the server's error templates arrive. Returns an unsubscribe function. */
export function onTexts(cb) {
  textListeners.add(cb);
  return () => textListeners.delete(cb);
}

/** "zh", "zh-CN", "zh-Hans-SG" -> "zh"; "en-GB" -> "en"; anything else -> null. */
export function normalize(tag) {
  const base = String(tag || '').trim().toLowerCase().split(/[-_]/)[0];
  return LANGS.includes(base) ? base : null;
}

/** The page's language: ?lang= first, then the remembered switch, then the browser's languages. */
export function chooseLang({ query, stored, languages = [] }) {
  return normalize(query) || normalize(stored) || languages.map(normalize).find(Boolean) || 'en';
}

/** Sets the server's error templates ({code: template}) for the current language. */
export function setMessages(catalog) {
  messages = catalog && typeof catalog === 'object' ? catalog : {};
  for (const cb of textListeners) cb();
}

/** An API error's text: its code's template filled with its params, else the server's message. */
export function errorText(err) {
  const text = err?.code ? render(err.code, err.params) : null;
  return text ?? (err?.message || t('error.unknown'));
}

// As the server renders its catalog: {name} slots, and a list in a quoted slot ('{names}') has each
// item quoted; lists are joined as the language joins them; a {code, params} value is a message too.
const SLOT = /('?)\{(\w+)\}('?)/g;
const JOIN = { en: ', ', zh: '、' };

/** The server's template of code filled with params, or null when the catalog lacks the code. */
function render(code, params = {}) {
  const template = messages[code];
  if (typeof template !== 'string') return null;
  return template.replace(SLOT, (m, left, key, right) => {
    if (!(key in params)) return m;
    const v = params[key];
    if (left && right && Array.isArray(v)) return v.map((x) => `'${show(x)}'`).join(JOIN[lang]);
    return left + show(v) + right;
  });
}

/** A parameter as text: lists joined, nested messages rendered, booleans and null as JSON writes them. */
function show(v) {
  if (v && typeof v === 'object' && !Array.isArray(v) && 'code' in v) return render(String(v.code), v.params || {}) ?? String(v.code);
  if (Array.isArray(v)) return v.map(show).join(JOIN[lang]);
  if (v === null || v === undefined) return 'null';
  return String(v);
}
