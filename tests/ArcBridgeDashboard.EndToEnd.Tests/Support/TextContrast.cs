using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace ArcBridgeDashboard.EndToEnd.Tests.Support;

/// <summary>One visible text whose colour does not reach WCAG AA against what is behind it.</summary>
public sealed record ContrastOffender(string Text, string Element, string Color, string Background, double Ratio, double Required, double FontSize, int FontWeight)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Ratio:0.00}:1 (needs {Required:0.#}) \"{Text}\" <{Element}> {Color} on {Background}, {FontSize:0.#}px/{FontWeight}");
}

/// <summary>
/// WCAG AA contrast of every visible text node, measured in the page as the browser painted it: the computed text
/// colour (its alpha and the opacity of its ancestors composited) against the first opaque background found walking
/// up the ancestors, each translucent one composited on the way. 4.5:1, or 3:1 for large text (24 px, or 18.66 px
/// bold). Text of a disabled control is exempt, as WCAG exempts inactive components.
/// </summary>
public static class TextContrast
{
    private const string Script = """
        () => {
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 1;
            const ctx = canvas.getContext('2d', { willReadFrequently: true });
            // Any CSS colour syntax (rgb, rgba, color(), oklch…) to sRGB bytes, through the canvas.
            const rgba = css => {
                ctx.clearRect(0, 0, 1, 1);
                ctx.fillStyle = '#000';
                ctx.fillStyle = css;
                ctx.fillRect(0, 0, 1, 1);
                const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
                return { r, g, b, a: a / 255 };
            };
            const over = (top, bottom) => {
                const a = top.a + bottom.a * (1 - top.a);
                if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
                const mix = k => (top[k] * top.a + bottom[k] * bottom.a * (1 - top.a)) / a;
                return { r: mix('r'), g: mix('g'), b: mix('b'), a };
            };
            const luminance = c => {
                const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
            };
            const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
            const show = c => `rgb(${Math.round(c.r)},${Math.round(c.g)},${Math.round(c.b)})`;
            const describe = el => el.tagName.toLowerCase()
                + (el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : '')
                + [...el.classList].slice(0, 3).map(c => '.' + c).join('');

            // Layers of background from the element outwards, until an opaque one; the page canvas is white.
            const backgroundOf = el => {
                const layers = [];
                for (let e = el; e; e = e.parentElement) {
                    const bg = rgba(getComputedStyle(e).backgroundColor);
                    if (bg.a > 0) layers.push(bg);
                    if (bg.a >= 1) break;
                }
                return layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
            };
            const opacityOf = el => {
                let o = 1;
                for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
                return o;
            };

            const offenders = [];
            const seen = new Set();
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const text = node.textContent.replace(/\s+/g, ' ').trim();
                const el = node.parentElement;
                if (!text || !el || el.closest('script, style, noscript, template')) continue;
                // A breadcrumb's current page is marked disabled but is a label people read: measured.
                if (el.closest('[disabled], [aria-disabled="true"], .mud-button-disabled, .mud-disabled:not(.mud-breadcrumb-item)')) continue;
                if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
                const range = document.createRange();
                range.selectNodeContents(node);
                const box = range.getBoundingClientRect();
                if (box.width < 1 || box.height < 1) continue;

                const style = getComputedStyle(el);
                const background = backgroundOf(el);
                const fg = rgba(style.color);
                const color = over({ ...fg, a: fg.a * opacityOf(el) }, background);
                const size = parseFloat(style.fontSize);
                const weight = parseInt(style.fontWeight, 10) || 400;
                const large = size >= 24 || (size >= 18.66 && weight >= 700);
                const required = large ? 3 : 4.5;
                const r = ratio(color, background);
                if (r + 1e-6 >= required) continue;
                const key = `${text}|${show(color)}|${show(background)}`;
                if (seen.has(key)) continue;
                seen.add(key);
                offenders.push({ text: text.slice(0, 60), element: describe(el), color: show(color), background: show(background),
                    ratio: Math.round(r * 100) / 100, required, fontSize: size, fontWeight: weight });
            }
            return JSON.stringify(offenders);
        }
        """;

    public static async Task<IReadOnlyList<ContrastOffender>> MeasureAsync(IPage page) =>
        JsonSerializer.Deserialize<ContrastOffender[]>(await page.EvaluateAsync<string>(Script), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
}
