import { xmlProblems } from './xml';

describe('the XML checker used on the SVG', () => {
  it('accepts well-formed XML', () => {
    expect(
      xmlProblems('<svg a="1" b=\'2\'><g><text>a &amp; b &#60; &#x3c;</text></g><rect/></svg>\n'),
    ).toEqual([]);
  });

  it('finds unbalanced, misnested and unclosed tags', () => {
    expect(xmlProblems('<svg><g></svg>')).toEqual(['</svg> closes <g> at 8', 'unclosed <svg>']);
    expect(xmlProblems('<svg><text>x</svg></text>')).toEqual([
      '</svg> closes <text> at 12',
      '</text> closes <svg> at 18',
    ]);
    expect(xmlProblems('<svg>')).toEqual(['unclosed <svg>']);
  });

  it('finds unquoted or duplicate attributes, raw & and <, and two roots', () => {
    expect(xmlProblems('<svg x=1></svg>')).toEqual(['bad attribute syntax in <svg> at 0:  x=1']);
    expect(xmlProblems('<svg x="1" x="2"></svg>')).toEqual(['duplicate attribute x at 0']);
    expect(xmlProblems('<svg><text>a & b</text></svg>')).toEqual(['bad entity & at 13']);
    expect(xmlProblems('<svg><text>a < b</text></svg>')).toEqual([
      'bad tag name in < b</text> at 13',
      '</svg> closes <text> at 23',
      'unclosed <svg>',
    ]);
    expect(xmlProblems('<a/><b/>')).toEqual(['2 root elements']);
  });
});
