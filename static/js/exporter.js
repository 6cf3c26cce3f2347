// Export: the drawing as a standalone SVG or a PNG, and the graph as JSON.

let cssText = null;

/** The circuit's stylesheet, fetched once so exported SVGs look the same as the page. */
async function graphCss() {
  if (cssText === null) cssText = await fetch('/static/css/graph.css').then((r) => r.text()).catch(() => '');
  return cssText;
}

/** Serialises the drawing (untransformed, with its styles inlined) as an SVG string. */
export async function svgString(svg, size) {
  const clone = svg.cloneNode(true);
  const w = Math.ceil(size.width);
  const h = Math.ceil(size.height);
  clone.removeAttribute('class');
  clone.removeAttribute('id');
  clone.setAttribute('class', 'circuit export');
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  for (const [k, v] of Object.entries({ width: w, height: h, viewBox: `0 0 ${w} ${h}` })) clone.setAttribute(k, v);
  clone.querySelector('.viewport')?.removeAttribute('transform');
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = await graphCss();
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [k, v] of Object.entries({ width: w, height: h, fill: '#ffffff' })) bg.setAttribute(k, v);
  clone.prepend(style, bg);
  return new XMLSerializer().serializeToString(clone);
}

/** Rasterises the SVG string at 2× for a crisp PNG. */
export async function pngBlob(svgText, size, scale = 2) {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(size.width * scale);
    canvas.height = Math.ceil(size.height * scale);
    const ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Starts a download of a Blob or text. */
export function download(name, data, type) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
