#!/bin/sh
# Regenerates icons/lucide.txt and icons/LICENSE from the npm package `lucide-static`.
#
#   icons/update.sh            # the version in icons/VERSION
#   icons/update.sh 1.63.0     # another version (then update icons/README.md)
#
# Needs npm and node; the build never does (the result is committed and include_str!'d).
# lucide.txt: one line per name, sorted bytewise, `name<TAB>elements` where elements are the
# icon's SVG child elements exactly as the package draws them in its 24x24 viewBox, or
# `name<TAB>=target` for an alias the package ships as a copy of another icon.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
version=${1:-$(cat "$here/VERSION")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "lucide-static@$version" >/dev/null && tar xzf lucide-static-*.tgz)
node - "$work/package" "$here/lucide.txt" <<'JS'
const fs = require('fs');
const path = require('path');
const [pkg, out] = process.argv.slice(2);
// The canonical names: icon-nodes.json lists every icon once, without the deprecated aliases
// the package also ships as files under their old names.
const canonical = new Set(Object.keys(JSON.parse(fs.readFileSync(path.join(pkg, 'icon-nodes.json'), 'utf8'))));
const dir = path.join(pkg, 'icons');
const bodies = new Map();
for (const file of fs.readdirSync(dir)) {
  if (!file.endsWith('.svg')) continue;
  const svg = fs.readFileSync(path.join(dir, file), 'utf8');
  const open = svg.indexOf('<svg');
  const start = svg.indexOf('>', open) + 1;
  const end = svg.lastIndexOf('</svg>');
  if (open < 0 || start <= 0 || end < start) throw new Error(`${file}: no <svg> element`);
  const body = svg.slice(start, end).split('\n').map((l) => l.trim()).filter((l) => l).join('')
    .replace(/\s+\/>/g, '/>');
  if (/[\t\n]/.test(body) || !body.startsWith('<')) throw new Error(`${file}: unexpected markup`);
  bodies.set(file.slice(0, -4), body);
}
const byBody = new Map();
for (const [name, body] of bodies) if (canonical.has(name)) byBody.set(body, name);
const names = [...bodies.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const lines = names.map((name) => {
  const body = bodies.get(name);
  const target = canonical.has(name) ? undefined : byBody.get(body);
  return `${name}\t${target ? '=' + target : body}`;
});
fs.writeFileSync(out, lines.join('\n') + '\n');
const aliases = lines.filter((l) => l.includes('\t=')).length;
console.error(`${names.length} names (${names.length - aliases} icons, ${aliases} aliases)`);
JS
cp "$work/package/LICENSE" "$here/LICENSE"
echo "$version" > "$here/VERSION"
