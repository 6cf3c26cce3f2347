// The page's catalogs: both languages have the same keys and placeholders, every key the page uses
// exists, the Chinese texts use the glossary's terms, and t(), the language choice and error rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chooseLang, errorText, fill, getLang, onTexts, setLang, setMessages, t } from '../../static/js/i18n.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const read = (p) => readFileSync(join(ROOT, p), 'utf8');
const en = JSON.parse(read('static/locales/en.json'));
const zh = JSON.parse(read('static/locales/zh.json'));
const glossary = JSON.parse(read('static/locales/glossary.json'));
const SPACES = new Set(Object.keys(en).map((k) => k.split('.')[0]));
const slots = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every page source file: the modules under static/js and index.html. */
function sources() {
  const walk = (dir) => readdirSync(join(ROOT, dir), { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.js') ? [join(dir, d.name)] : []));
  return [...walk('static/js'), 'static/index.html'].map((p) => ({ path: p, text: read(p) }));
}

test('en.json and zh.json have the same keys, no empty texts and the same placeholders', () => {
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const [key, text] of Object.entries(en)) {
    assert.ok(text.trim() && zh[key].trim(), `${key} is empty`);
    assert.deepEqual(slots(zh[key]), slots(text), `${key}: placeholders differ`);
  }
});

test('a Chinese text is no copy of the English unless it has no words to translate', () => {
  for (const [key, text] of Object.entries(en)) {
    if (zh[key] !== text) continue;
    const words = text.replace(/\{\w+\}/g, '').match(/[A-Za-z]{2,}/g) || [];
    assert.deepEqual(words, [], `${key} is the English text`);
  }
});

test('catalog markup is only the inline tags the page allows', () => {
  for (const [key, text] of [...Object.entries(en), ...Object.entries(zh)]) {
    for (const [, tag] of text.matchAll(/<\/?([a-z]+)[^>]*>/g)) assert.ok(['kbd', 'code', 'b', 'em', 'br'].includes(tag), `${key}: <${tag}>`);
  }
});

test('every key the page uses exists (t() calls, data-i18n attributes, marked elements)', () => {
  const used = [];
  const patterns = [];
  for (const { path, text } of sources()) {
    for (const m of text.matchAll(/\b(?:t|tr)\(\s*'([^']+)'/g)) used.push([path, m[1]]);
    // Keys passed around as strings ('train.tick', a ternary of keys): any literal in a catalog namespace.
    for (const m of text.matchAll(/'([a-z]+)\.([a-z_.]+)'/g)) if (SPACES.has(m[1])) used.push([path, `${m[1]}.${m[2]}`]);
    for (const m of text.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)) used.push([path, m[1]]);
    for (const m of text.matchAll(/dataset\.i18n(?:[A-Z]\w*)? = '([^']+)'/g)) used.push([path, m[1]]);
    for (const m of text.matchAll(/\b(?:text|title|'aria-label'|placeholder): '([a-z]+\.[a-z_.]+)'/g)) used.push([path, m[1]]);
    // t(`help.category.${cat}`): some key must match the template's fixed parts.
    for (const m of text.matchAll(/\b(?:t|tr|has)\(\s*`([^`]+)`/g)) patterns.push([path, m[1]]);
  }
  assert.ok(used.length > 150, `only ${used.length} uses found: the scan is broken`);
  for (const [path, key] of used) assert.ok(key in en, `${path} uses ${key}, which en.json lacks`);
  for (const [path, tpl] of patterns) {
    const re = new RegExp(`^${tpl.split(/\$\{[^}]+\}/).map((p) => p.replace(/[.*+?^$()[\]{}|\\]/g, '\\$&')).join('[\\w.]+')}$`);
    assert.ok(Object.keys(en).some((k) => re.test(k)), `${path}: no key matches ${tpl}`);
  }
});

test('the Chinese texts use the glossary: where the English has a term, the Chinese has its word', () => {
  // Whole words, as tests/test_glossary.py reads them (an identifier such as cross_entropy is not the term).
  const has = (text, form) => new RegExp(`(?<![\\w-])${form.replace(/[.*+?^$()[\]{}|\\]/g, '\\$&')}(?![\\w-])`, 'iu').test(text);
  let checked = 0;
  for (const [key, text] of Object.entries(en)) {
    for (const term of glossary.terms) {
      assert.ok(!(term.avoid || []).some((a) => zh[key].includes(a)), `${key}: ${zh[key]} uses a word the glossary avoids`);
      if (!term.en.some((form) => has(text, form))) continue;
      checked += 1;
      assert.ok(term.zh.some((w) => zh[key].includes(w)), `${key}: "${text}" has ${term.en[0]}, "${zh[key]}" lacks ${term.zh[0]}`);
    }
  }
  assert.ok(checked > 60, `only ${checked} terms checked`);
});

test('the gate patterns read as the notes write them', () => {
  const [add, max, mul] = glossary.patterns.map((p) => p.zh);
  assert.ok(zh['pattern.add'].startsWith(add));
  for (const k of ['pattern.max', 'pattern.max_tensor']) assert.ok(zh[k].startsWith(max), k);
  for (const k of ['pattern.mul', 'pattern.mul_tensor']) assert.ok(zh[k].startsWith(mul), k);
});

test('t() fills placeholders, falls back to English, then to the key', () => {
  assert.equal(getLang(), 'en');
  assert.equal(t('status.start', { n: 4 }), 'Start · 4 steps');
  setLang('zh');
  try {
    assert.equal(t('status.start', { n: 4 }), '开始 · 共 4 步');
    assert.equal(t('no.such.key'), 'no.such.key');
  } finally {
    setLang('en');
  }
  assert.equal(fill('{a} and {b}', { a: 1 }), '1 and {b}');
});

test('the language: ?lang= first, then the remembered switch, then the browser', () => {
  assert.equal(chooseLang({ query: 'zh', stored: 'en', languages: ['en-US'] }), 'zh');
  assert.equal(chooseLang({ query: 'fr', stored: 'zh', languages: ['en-US'] }), 'zh');
  assert.equal(chooseLang({ query: null, stored: null, languages: ['fr-FR', 'zh-CN'] }), 'zh');
  assert.equal(chooseLang({ query: null, stored: null, languages: ['zh-Hans-SG'] }), 'zh');
  assert.equal(chooseLang({ query: null, stored: null, languages: ['de'] }), 'en');
});

test('errors are rendered from the server catalog by code, else from their message', () => {
  setLang('zh');
  try {
    setMessages({ unknown_name: "未知的名字 '{name}'", pick: "可选:'{names}'", wrap: '外层:{inner}', inner: '内层 {x}' });
    assert.equal(errorText({ code: 'unknown_name', params: { name: 'sigmod' }, message: "unknown name 'sigmod'" }), "未知的名字 'sigmod'");
    assert.equal(errorText({ code: 'pick', params: { names: ['a', 'b'] } }), "可选:'a'、'b'");
    assert.equal(errorText({ code: 'wrap', params: { inner: { code: 'inner', params: { x: 1 } } } }), '外层:内层 1');
    assert.equal(errorText({ code: 'not_in_catalog', message: 'as the server wrote it' }), 'as the server wrote it');
    assert.equal(errorText({ message: 'no code' }), 'no code');
  } finally {
    setLang('en');
  }
});

test('texts made from the catalogs are told to write again after a switch and when templates arrive', () => {
  const err = { code: 'unknown_name', params: { name: 'sigmod' }, message: "unknown name 'sigmod'" };
  const written = [];
  const stop = onTexts(() => written.push(errorText(err)));
  try {
    setLang('zh'); // the server's templates are not in yet: the message as the server wrote it
    setMessages({ unknown_name: "未知的名字 '{name}'" });
    setLang('zh'); // no switch: nothing to write again
    setLang('en');
    assert.deepEqual(written, ["unknown name 'sigmod'", "未知的名字 'sigmod'", "unknown name 'sigmod'"]);
  } finally {
    stop();
    setLang('en');
  }
  setLang('zh');
  setLang('en');
  assert.equal(written.length, 3); // unsubscribed
});
