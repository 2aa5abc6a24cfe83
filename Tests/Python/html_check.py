"""Strict checks of corslog's HTML report with Python's own html.parser (no PyPI package).

Usage: python3 html_check.py FILE.html
Prints one line per problem and exits 1 when there is any; prints a summary and exits 0 otherwise.

What it checks: one <!DOCTYPE html>; every element closed in order (void elements alone);
every attribute written name="value" with no raw quote, < or > in the value; only the five
entities corslog writes; nothing that loads or runs anything (script, iframe, img, link,
object, embed, base, form; href/src/action/on* attributes; url() other than #fragments;
@import); ids unique and every url(#id) / aria-labelledby pointing at an existing id.
"""

import re
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
FORBIDDEN_TAGS = {"script", "iframe", "img", "link", "object", "embed", "base", "form", "frame", "frameset", "audio", "video", "source"}
FORBIDDEN_ATTRS = {"href", "src", "srcset", "action", "formaction", "xlink:href", "background", "poster", "data"}
ENTITIES = {"amp", "lt", "gt", "quot"}
START_TAG = re.compile(r'^<[a-z][a-z0-9]*(\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<>]*")*\s*/?>$', re.S)


class Strict(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.problems = []
        self.stack = []
        self.doctype = 0
        self.ids = set()
        self.refs = []
        self.elements = 0
        self.style = []

    def problem(self, text):
        line, col = self.getpos()
        self.problems.append(f"{line}:{col}: {text}")

    def handle_decl(self, decl):
        self.doctype += 1
        if decl != "DOCTYPE html":
            self.problem(f"unexpected declaration {decl!r}")

    def handle_starttag(self, tag, attrs):
        self.open(tag, attrs, closed=False)

    def handle_startendtag(self, tag, attrs):
        self.open(tag, attrs, closed=True)

    def open(self, tag, attrs, closed):
        self.elements += 1
        raw = self.get_starttag_text()
        if not START_TAG.match(raw):
            self.problem(f"start tag not written as name=\"value\" attributes: {raw[:120]!r}")
        if tag in FORBIDDEN_TAGS:
            self.problem(f"forbidden element <{tag}>")
        for name, value in attrs:
            if value is None:
                self.problem(f"attribute {name} without a value in <{tag}>")
                continue
            if name in FORBIDDEN_ATTRS or name.startswith("on"):
                self.problem(f"forbidden attribute {name} in <{tag}>")
            for ref in re.findall(r"url\(([^)]*)\)", value):
                if not ref.startswith("#"):
                    self.problem(f"url({ref}) loads something")
                self.refs.append(ref[1:])
            if name == "id":
                if value in self.ids:
                    self.problem(f"duplicate id {value!r}")
                self.ids.add(value)
            if name == "aria-labelledby":
                self.refs += value.split()
        if tag not in VOID and not closed and tag != "meta":
            self.stack.append(tag)
        elif tag not in VOID and closed and tag not in {"line", "rect", "path", "circle"}:
            self.problem(f"<{tag} /> is not a void element")

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problem(f"end tag of void element </{tag}>")
            return
        if not self.stack or self.stack[-1] != tag:
            self.problem(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.style.append(data)

    def handle_entityref(self, name):
        if name not in ENTITIES:
            self.problem(f"entity &{name}; (only &amp; &lt; &gt; &quot; &#39;)")

    def handle_charref(self, name):
        if name != "39":
            self.problem(f"character reference &#{name};")

    def handle_comment(self, data):
        self.problem("comment in the report")

    def handle_pi(self, data):
        self.problem(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.problem(f"unknown declaration {data!r}")


def main(path):
    with open(path, encoding="utf-8", errors="strict") as f:
        text = f.read()
    p = Strict()
    p.feed(text)
    p.close()
    if p.doctype != 1:
        p.problems.append(f"{p.doctype} doctypes, expected 1")
    if p.stack:
        p.problems.append(f"unclosed at the end: {p.stack}")
    css = "".join(p.style)
    if "@import" in css or re.search(r"url\((?!#)", css):
        p.problems.append("the style sheet loads something")
    for ref in p.refs:
        if ref not in p.ids:
            p.problems.append(f"reference to missing id {ref!r}")
    if re.search(r"<\s*script", text, re.I):
        p.problems.append("raw <script in the page")
    for line in p.problems:
        print(line)
    if p.problems:
        return 1
    print(f"ok: {p.elements} elements, {len(p.ids)} ids")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
