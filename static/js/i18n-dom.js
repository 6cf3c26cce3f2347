// The language on the page: texts marked data-i18n (and data-i18n-title, -aria-label, -placeholder,
// -html) are filled from the catalog, <html lang> is set, and the toolbar's switch is remembered.
import { LANGS, chooseLang, getLang, langTag, onLang, onTexts, setLang, t } from './i18n.js';

const STORE_KEY = 'gatewise.lang';
const ATTRS = ['title', 'aria-label', 'placeholder'];
// The only markup a catalog text may carry (keys and code in running text).
const INLINE = new Set(['KBD', 'CODE', 'B', 'EM', 'BR']);
// Each language's own name for itself (never translated).
const ENDONYMS = { en: 'English', zh: '简体中文' };

/** Picks the language (?lang=, the remembered switch, navigator.languages) and applies it. */
export function startLanguage() {
  const query = new URLSearchParams(location.search).get('lang');
  const lang = chooseLang({ query, stored: remembered(), languages: navigator.languages || [navigator.language] });
  setLang(lang);
  showLang();
  onLang(showLang);
  onTexts(() => sayAgain(document));
  return lang;
}

/** The page in the current language: <html lang> and every marked text. */
function showLang() {
  document.documentElement.lang = langTag();
  translateDom(document);
}

/** Fills every marked element under root from the catalog. */
export function translateDom(root, self = false) {
  const all = (sel) => (self ? [root, ...root.querySelectorAll(sel)].filter((e) => e.matches(sel)) : root.querySelectorAll(sel));
  for (const el of all('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of all('[data-i18n-html]')) setInline(el, t(el.dataset.i18nHtml));
  for (const name of ATTRS) {
    const data = `data-i18n-${name}`;
    for (const el of all(`[${data}]`)) el.setAttribute(name, t(el.getAttribute(data)));
  }
}

/** Marks an element made in code with catalog keys ({text, title, 'aria-label', placeholder}) and
 *  fills it now; a switch of language fills it again. Returns the element. */
export function mark(el, keys) {
  for (const [what, key] of Object.entries(keys)) {
    if (what === 'text') el.dataset.i18n = key;
    else el.setAttribute(`data-i18n-${what}`, key);
  }
  translateDom(el, true);
  return el;
}

const SAID = 'data-i18n-said'; // an element whose texts say() wrote (el.gwSaid: what -> text function)

/** Writes text() into el's text ('text') or attribute `what` now, and again whenever the catalogs
 *  change (a switch of language, the server's templates arriving): for texts made in code from a key
 *  and params, or from an error's code, which no data-i18n key can hold. text null forgets it. */
export function say(el, what, text) {
  const said = (el.gwSaid ||= {});
  if (text) said[what] = text;
  else delete said[what];
  el.toggleAttribute(SAID, Object.keys(said).length > 0);
  if (text) write(el, what, text());
  return el;
}

/** Writes every said text under root again (root itself included). */
export function sayAgain(root) {
  const els = root.querySelectorAll(`[${SAID}]`);
  for (const el of root.matches?.(`[${SAID}]`) ? [root, ...els] : els) {
    for (const [what, text] of Object.entries(el.gwSaid || {})) write(el, what, text());
  }
}

function write(el, what, text) {
  if (what === 'text') el.textContent = text;
  else el.setAttribute(what, text);
}

/** Sets a catalog text with inline markup (kbd, code); any other element falls back to plain text. */
export function setInline(el, html) {
  const tpl = document.createElement('template');
  tpl.innerHTML = html;
  const ok = [...tpl.content.querySelectorAll('*')].every((e) => INLINE.has(e.tagName) && !e.attributes.length);
  if (ok) el.replaceChildren(tpl.content);
  else el.textContent = tpl.content.textContent;
}

/** The language switch in the toolbar: a <select> of the languages, each named in itself. */
export function mountSwitch(before, onSwitch) {
  const select = document.createElement('select');
  select.id = 'lang';
  select.dataset.i18nAriaLabel = 'toolbar.language';
  select.dataset.i18nTitle = 'toolbar.language';
  for (const l of LANGS) {
    // Each language's name is written in that language (lang marks it for screen readers and tests).
    const o = Object.assign(document.createElement('option'), { value: l, lang: langTag(l), textContent: ENDONYMS[l] });
    select.append(o);
  }
  select.value = getLang();
  select.addEventListener('change', () => {
    remember(select.value);
    if (setLang(select.value)) onSwitch?.(select.value);
  });
  onLang((l) => (select.value = l));
  before.before(select);
  translateDom(select.parentElement);
  return select;
}

/** The remembered choice (null if none or storage is blocked). */
function remembered() {
  try {
    return localStorage.getItem(STORE_KEY);
  } catch {
    return null;
  }
}

/** Remembers the switch's choice. */
function remember(lang) {
  try {
    localStorage.setItem(STORE_KEY, lang);
  } catch {
    // storage blocked (private mode): the choice lasts for this page only
  }
}
