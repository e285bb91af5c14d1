/**
 * A small XML well-formedness checker for the SVG tests: tags balance and nest, attribute
 * values are quoted, names are XML names, and `&` starts a known entity. Returns the
 * problems found (empty when the text is well-formed). Not a validator.
 */
export function xmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*$/;
  const checkText = (t: string, at: number): void => {
    if (t.includes('>')) problems.push(`stray > in text at ${at}`);
    for (const m of t.matchAll(/&([^;\s]*);?/g)) {
      if (!/^(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+)$/.test(m[1]!) || !m[0].endsWith(';'))
        problems.push(`bad entity ${m[0]} at ${at + m.index!}`);
    }
  };
  let i = 0;
  let roots = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (stack.length === 0 && chunk.trim() !== '') problems.push(`text outside the root element at ${i}`);
    checkText(chunk, i);
    if (lt < 0) break;
    const gt = text.indexOf('>', lt);
    if (gt < 0) {
      problems.push(`unterminated tag at ${lt}`);
      break;
    }
    const tag = text.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('?') || tag.startsWith('!--')) continue;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}> at ${lt}`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([^\s/>]+)([\s\S]*)$/.exec(body);
    if (!m || !NAME.test(m[1]!)) {
      problems.push(`bad tag name in <${tag}> at ${lt}`);
      continue;
    }
    const attrs = m[2]!;
    const seen = new Set<string>();
    const attrRe = /\s+([^\s=]+)="([^"<]*)"|\s+([^\s=]+)='([^'<]*)'/y;
    let at = 0;
    while (at < attrs.trimEnd().length) {
      attrRe.lastIndex = at;
      const a = attrRe.exec(attrs);
      if (!a) {
        problems.push(`bad attribute syntax in <${m[1]}> at ${lt}: ${attrs.slice(at, at + 20)}`);
        break;
      }
      const name = a[1] ?? a[3]!;
      if (!NAME.test(name)) problems.push(`bad attribute name ${name} at ${lt}`);
      if (seen.has(name)) problems.push(`duplicate attribute ${name} at ${lt}`);
      seen.add(name);
      checkText(a[2] ?? a[4]!, lt);
      at = attrRe.lastIndex;
    }
    if (stack.length === 0) roots++;
    if (!selfClosing) stack.push(m[1]!);
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
