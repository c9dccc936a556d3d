"""A field's text as readers read it, in blocks (paragraphs), each piece mapped back to where it stands."""

import re
from bisect import bisect_right
from functools import cached_property
from html import unescape
from html.parser import HTMLParser


class Block:
    """One paragraph as readers read it, and where each piece of it stands in the field's text.

    A piece is literal (read as written) or one unit that reads differently from its source: an entity
    (`&amp;`) or a run of spaces and line breaks that a browser shows as one space.
    """

    def __init__(self):
        self.parts = []
        self.starts = []  # where each piece starts in the block's text
        self.sources = []  # (start, end) of each piece in the field's text
        self.length = 0
        # Whether a space here shows as nothing: at the block's start, or after another space.
        self.after_space = True

    def add(self, text, start, end):
        self.starts.append(self.length)
        self.sources.append((start, end))
        self.parts.append(text)
        self.length += len(text)

    @cached_property
    def text(self):  # read once the block is complete
        return "".join(self.parts)

    @cached_property
    def words(self):
        return self.text.split()

    def source_span(self, start, end):
        """Where text[start:end] stands in the field's text, and whether it maps exactly: no markup, no half entity."""
        first = bisect_right(self.starts, start) - 1
        last = bisect_right(self.starts, end - 1) - 1
        exact = True
        piece_start, (source_start, source_end) = self.starts[first], self.sources[first]
        if source_end - source_start == len(self.parts[first]):
            begin = source_start + start - piece_start
        else:
            begin, exact = source_start, start == piece_start
        piece_start, (source_start, source_end) = self.starts[last], self.sources[last]
        if source_end - source_start == len(self.parts[last]):
            finish = source_start + end - piece_start
        else:
            finish, exact = source_end, exact and end == piece_start + len(self.parts[last])
        gaps = any(self.sources[i][1] != self.sources[i + 1][0] for i in range(first, last))
        return begin, finish, exact and not gaps


# Spaces that a browser shows otherwise than as written: runs, and line breaks or tabs (a single space is
# read as written).
COLLAPSED = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]")
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})  # fmt: skip
UNREAD_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "title"})
# A character or entity reference as html.parser reads one (the semicolon may be missing).
REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][-.A-Za-z0-9]*;?)")


class BodyReader(HTMLParser):
    """Story HTML as blocks of text; tags, attributes, comments and script are not text."""

    def __init__(self, source):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0, *(m.end() for m in re.finditer("\n", source))]
        self.blocks = [Block()]
        self.unread = 0

    def source_offset(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def new_block(self):
        if self.blocks[-1].length:
            self.blocks.append(Block())

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.new_block()
        if tag in UNREAD_TAGS:
            self.unread += 1

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.new_block()

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.new_block()
        if tag in UNREAD_TAGS:
            self.unread = max(0, self.unread - 1)

    def handle_data(self, data):
        if self.unread:
            return
        offset, block = self.source_offset(), self.blocks[-1]
        position = 1 if block.after_space and data[:1] == " " else 0
        for run in COLLAPSED.finditer(data, position):
            if run.start() > position:
                block.add(data[position : run.start()], offset + position, offset + run.start())
                block.after_space = data[run.start() - 1] == " "
            if not block.after_space:
                block.add(" ", offset + run.start(), offset + run.end())
                block.after_space = True
            position = run.end()
        if position < len(data):
            block.add(data[position:], offset + position, offset + len(data))
            block.after_space = data[-1] == " "

    def handle_reference(self):
        if self.unread:
            return
        start = self.source_offset()
        match = REFERENCE.match(self.source, start)
        end = match.end() if match else start + 1
        self.blocks[-1].add(unescape(self.source[start:end]), start, end)
        self.blocks[-1].after_space = False

    def handle_entityref(self, name):
        self.handle_reference()

    def handle_charref(self, name):
        self.handle_reference()


def body_blocks(html):
    """The paragraphs of story HTML that hold any text."""
    reader = BodyReader(html)
    reader.feed(html)
    reader.close()
    return [block for block in reader.blocks if block.text.strip()]


def text_blocks(text):
    """Plain text (a headline, a standfirst) as one block, read as written."""
    if not text.strip():
        return []
    block = Block()
    block.add(text, 0, len(text))
    return [block]
