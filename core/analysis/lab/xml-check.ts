/** Test aid for the SVG/HTML writers (no DOM in core/). */
/** A tiny XML well-formedness check: balanced tags, quoted attributes, no bare & or <. */
export function wellFormed(xml: string): boolean {
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  const stack: string[] = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    const text = body.slice(last, m.index);
    if (/[<>]/.test(text) || /&(?!(amp|lt|gt|quot|#39|#\d+|#x[0-9a-f]+);)/i.test(text)) return false;
    last = re.lastIndex;
    if (m[0].startsWith('<!--')) continue;
    if (/&(?!(amp|lt|gt|quot|#39|#\d+|#x[0-9a-f]+);)/i.test(m[3] ?? '')) return false;
    const [, close, name, , self] = m;
    if (self) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name);
  }
  return stack.length === 0 && !/[<>]/.test(body.slice(last));
}
