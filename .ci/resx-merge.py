#!/usr/bin/env python3
"""git merge driver for .resx: ours + the <data> entries theirs added or changed (and drops those theirs deleted)."""
import re, sys
base_p, ours_p, theirs_p = sys.argv[1:4]
pat = re.compile(r'[ \t]*<data name="([^"]+)"[^>]*?(?:/>|>.*?</data>)\s*?\n', re.S)
def blocks(text): return {m.group(1): m.group(0) for m in pat.finditer(text)}
base, ours, theirs = (open(p, encoding='utf-8-sig').read() for p in (base_p, ours_p, theirs_p))
b, o, t = blocks(base), blocks(ours), blocks(theirs)
result = ours
conflict = False
for key, block in t.items():
    if key not in o:
        if key not in b or b[key] != block:  # added by theirs (or changed by theirs while ours deleted: keep theirs)
            result = result.replace('</root>', block + '</root>') if '</root>' in result else result + block
    elif o[key] != block and b.get(key) != block:
        if b.get(key) == o[key]:
            result = result.replace(o[key], block)
        else:
            conflict = True
            sys.stderr.write(f"resx conflict on key {key}\n")
for key, block in b.items():
    if key not in t and key in o and o[key] == block:
        result = result.replace(block, '')
# keep '</root>' on its own line
result = re.sub(r'\n?</root>', '\n</root>', result).replace('\n\n</root>', '\n</root>')
open(ours_p, 'w', encoding='utf-8').write(result)
sys.exit(1 if conflict else 0)
